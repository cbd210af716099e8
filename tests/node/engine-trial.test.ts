// Golden traces across reboots: the trial boot confirmed by on_healthy, the rollback
// when it never is, and a download resumed after a reset. A reboot is a fresh agent
// instance over the same flash, after the emulated bootloader (bootloader_decide).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConfigSource, Device, FILE_URL, Setting, documentsDelivered, fileConfig, image, norFlash,
} from "./support/engine-device.ts";

after(() => console.log(`engine-trial: ${documentsDelivered} documents delivered to the agent`));

const MURANO = ConfigSource.MuranoConfigOtau;

async function installed(body: Uint8Array, settings: [Setting, number][] = []): Promise<Device> {
  const device = await Device.start(norFlash(), { settings });
  device.config(MURANO, fileConfig(body));
  device.serve(body);
  assert.equal(device.agent.state(), 4, "AwaitingReset");
  assert.equal(device.resets, 1);
  return device;
}

test("a trial boot confirmed by on_healthy reports INSTALL_SUCCESS then INSTALLED_VERSION, and stays on the new slot", async () => {
  const body = image(20_000);
  const device = await installed(body);
  const { slot, device: trial } = await device.reboot();
  assert.equal(slot, 2, "the bootloader starts slot B on trial");
  assert.deepEqual(trial.statuses, [{
    version: "1.1.0", status: "INSTALL_STEP",
    message: "running version 1.1.0 on trial (2 boots left); waiting for the application to confirm it",
  }]);
  assert.equal(trial.agent.state(), 5, "Trial");
  trial.agent.onHealthy();
  assert.deepEqual(trial.statuses.slice(1), [
    { version: "1.1.0", status: "INSTALL_SUCCESS", message: "version 1.1.0 confirmed healthy in slot B" },
    { version: "1.1.0", status: "INSTALLED_VERSION", message: "" },
  ]);
  assert.equal(trial.agent.state(), 0);
  const { slot: next, device: confirmed } = await trial.reboot();
  assert.equal(next, 2);
  assert.deepEqual(confirmed.statuses, [{ version: "1.1.0", status: "INSTALLED_VERSION", message: "" }]);
  confirmed.config(MURANO, fileConfig(body));
  assert.equal(confirmed.last().status, "INSTALLED_VERSION", "the same config again changes nothing");
  assert.equal(confirmed.fetches.length, 0);
});

test("a trial never confirmed is rolled back: INSTALL_ERROR for the new version, then INSTALLED_VERSION of the old one", async () => {
  const device = await installed(image(20_000), [[Setting.TrialBoots, 2]]);
  let current = device;
  const slots: number[] = [];
  for (let boot = 0; boot < 3; boot++) {
    const next = await current.reboot();
    slots.push(next.slot);
    current = next.device;
  }
  assert.deepEqual(slots, [2, 2, 1], "two trial boots of slot B, then back to slot A");
  assert.deepEqual(current.statuses, [
    { version: "1.1.0", status: "INSTALL_ERROR", message: "version 1.1.0 was not confirmed healthy within 2 boots; rolled back to 1.0.0" },
    { version: "1.0.0", status: "INSTALLED_VERSION", message: "" },
  ]);
  current.config(MURANO, fileConfig(image(20_000)));
  assert.deepEqual(current.last(), {
    version: "1.1.0", status: "TEST_ERROR",
    message: "version 1.1.0 was rolled back after failing its trial boot; apply a different version",
  });
  current.config(MURANO, fileConfig(image(100, 9), "1.2.0"));
  assert.equal(current.fetches.length, 1, "a different version may start");
});

test("a rollback is reported once: the boots after it report only INSTALLED_VERSION of the old version", async () => {
  const device = await installed(image(20_000), [[Setting.TrialBoots, 1]]);
  const trial = (await device.reboot()).device;
  const { slot, device: back } = await trial.reboot();
  assert.equal(slot, 1);
  assert.deepEqual(back.statuses.map((s) => s.status), ["INSTALL_ERROR", "INSTALLED_VERSION"]);
  const { slot: again, device: later } = await back.reboot();
  assert.equal(again, 1);
  assert.deepEqual(later.statuses, [{ version: "1.0.0", status: "INSTALLED_VERSION", message: "" }]);
  later.config(MURANO, fileConfig(image(20_000)));
  assert.equal(later.last().status, "TEST_ERROR", "the failed version is still refused after the mark");
});

test("on a rolled-back Kaa device the failed version is answered with statusCode 500", async () => {
  const device = await installed(image(1000), [[Setting.TrialBoots, 1], [Setting.Cloud, 1]]);
  const trial = (await device.reboot()).device;
  const { slot, device: back } = await trial.reboot();
  assert.equal(slot, 1);
  assert.deepEqual(back.applied, [
    { configId: "1.1.0", statusCode: 500, reasonPhrase: "version 1.1.0 was not confirmed healthy within 1 boot; rolled back to 1.0.0" },
    { configId: "1.0.0" },
  ]);
});

test("during a trial boot a new config is refused and on_healthy outside a trial does nothing", async () => {
  const device = await installed(image(1000));
  const trial = (await device.reboot()).device;
  trial.config(MURANO, fileConfig(image(10), "1.2.0"));
  assert.deepEqual(trial.last(), {
    version: "1.2.0", status: "TEST_ERROR",
    message: "version 1.1.0 is on trial boot; a new update can start once it is confirmed or rolled back",
  });
  trial.agent.onHealthy();
  const count = trial.statuses.length;
  trial.agent.onHealthy();
  assert.equal(trial.statuses.length, count, "a second on_healthy is ignored");
});

/** A download of `body` reset after 40,000 bytes: the device after its reboot. */
async function interruptedDownload(body: Uint8Array): Promise<Device> {
  const device = await Device.start(norFlash());
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 40_000));
  const { slot, device: after } = await device.reboot();
  assert.equal(slot, 1, "nothing was installed: the old slot boots");
  return after;
}

test("a download interrupted by a reset resumes from the progress saved in flash, by Range", async () => {
  const body = image(100_000, 3);
  const after = await interruptedDownload(body);
  after.config(MURANO, fileConfig(body));
  const resumed = after.statuses.find((s) => s.status === "DOWNLOAD_STEP")!;
  const offset = after.fetches[0].offset;
  assert.ok(offset >= 16_384 && offset <= 40_000, `resumes inside what was written (${offset})`);
  assert.equal(resumed.message, `resuming file 1 of 1 at byte ${offset} after a reset`);
  assert.deepEqual(after.names(1), ["DOWNLOAD_STEP"], "no INIT or TEST again: the update continues");
  assert.equal(after.fetches[0].url, FILE_URL);
  after.serve(body.subarray(offset), { status: 206, from: offset, total: body.length });
  assert.equal(after.last().status, "INSTALL_STEP");
  assert.deepEqual(Buffer.from(after.flash.bytes(2).subarray(0, body.length)), Buffer.from(body));
});

test("after a reset a different config does not resume the old download", async () => {
  const after = await interruptedDownload(image(100_000, 3));
  after.config(MURANO, fileConfig(image(5000, 4), "1.2.0"));
  assert.deepEqual(after.names(1).slice(0, 2), ["INIT", "TEST"]);
  assert.equal(after.fetches[0].offset, 0);
});

// RunningVersionCheck: a board built per version passes its own version at every boot.
const CHECK: [Setting, number][] = [[Setting.RunningVersionCheck, 1]];

test("a trial image that reports another version than the update installed is not confirmed: INSTALL_ERROR, a reset, and in the end a rollback", async () => {
  const device = await installed(image(20_000), [...CHECK, [Setting.TrialBoots, 2]]);
  const { slot, device: trial } = await device.reboot({ settings: [...CHECK, [Setting.TrialBoots, 2]], firmware: "1.0.9" });
  assert.equal(slot, 2);
  assert.deepEqual(trial.statuses, [{
    version: "1.1.0", status: "INSTALL_ERROR",
    message: "the running image reports version 1.0.9, not 1.1.0 as the update installed; it will not be confirmed, resetting",
  }]);
  assert.equal(trial.resets, 1);
  assert.equal(trial.agent.state(), 4, "AwaitingReset");
  trial.agent.onHealthy();
  assert.equal(trial.statuses.length, 1, "on_healthy confirms nothing");
  const second = await trial.reboot();
  assert.equal(second.slot, 2);
  const { slot: back, device: old } = await second.device.reboot({ settings: [...CHECK, [Setting.TrialBoots, 2]], firmware: "1.0.0" });
  assert.equal(back, 1);
  assert.deepEqual(old.statuses.map((s) => `${s.status} ${s.version}`), ["INSTALL_ERROR 1.1.0", "INSTALLED_VERSION 1.0.0"]);
});

test("a confirmed slot whose image reports another version is never reported as installed under the record's version", async () => {
  const device = await installed(image(20_000), CHECK);
  const trial = (await device.reboot({ settings: CHECK, firmware: "1.1.0" })).device;
  assert.equal(trial.agent.state(), 5, "the matching version is on trial");
  trial.agent.onHealthy();
  const { device: later } = await trial.reboot({ settings: CHECK, firmware: "1.0.9" });
  assert.deepEqual(later.statuses, [{
    version: "1.1.0", status: "INSTALL_ERROR",
    message: "the running image reports version 1.0.9, not 1.1.0 as the boot record says is installed",
  }]);
  const { device: unchecked } = await later.reboot({ firmware: "1.0.9" });
  assert.deepEqual(unchecked.statuses, [{ version: "1.1.0", status: "INSTALLED_VERSION", message: "" }], "without the setting the version names only a factory image");
});
