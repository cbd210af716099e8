// Slots that run in place (XIP): a release has one build per slot, each an MCUboot image
// made by the real imgtool with `--rom-fixed <slot address>`. The update document's `slots`
// table (Murano config_otau and Kaa specification alike) gives the device the build for the
// slot it writes; an image linked for the other slot is refused at its header (the first
// chunk), naming both addresses, and the device stays on its version. Settings SlotAddressA
// and SlotAddressB tell the agent where its slots run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigSource, Device, FILE_URL, Setting, image, norFlash, sha256Hex } from "./support/engine-device.ts";
import { imgtoolSign } from "./support/imgtool.ts";
import { offer, signedDeviceFlash, vendor } from "./support/signed-device.ts";

const MURANO = ConfigSource.MuranoConfigOtau;
const KAA = ConfigSource.KaaResponse;
const ADDRESS = { A: 0x21040000, B: 0x21080000 };
const XIP: [Setting, number][] = [[Setting.SlotAddressA, ADDRESS.A], [Setting.SlotAddressB, ADDRESS.B]];
const URL = { A: "http://files.test/fw-A.bin", B: "http://files.test/fw-B.bin" };
const HEADER = 0x200;

/** The two builds of one version: the same body linked per slot (here: signed per slot). */
function release(version: string): { A: Buffer; B: Buffer } {
  const body = image(6000, version.length);
  return {
    A: imgtoolSign(body, { version, romFixed: ADDRESS.A }),
    B: imgtoolSign(body, { version, romFixed: ADDRESS.B }),
  };
}

const entry = (build: Buffer, url: string, kaa = false) =>
  ({ [kaa ? "link" : "payload"]: url, sha256: sha256Hex(build), size: build.length });

/** A FILE config_otau whose ordinary fields name slot B's build, with a `slots` table. */
function slotsConfig(version: string, builds: { A: Buffer; B: Buffer }): string {
  return JSON.stringify({
    version, name: "sensor firmware", type: "FILE", ...entry(builds.B, URL.B),
    slots: { A: entry(builds.A, URL.A), B: entry(builds.B, URL.B) },
  });
}

/** A config_otau naming one build, without `slots` (what a release without the extension looks like). */
function plainConfig(version: string, build: Buffer): string {
  return JSON.stringify({ version, name: "sensor firmware", type: "FILE", ...entry(build, FILE_URL) });
}

/** Installs the config's build and confirms it on its trial boot; returns the confirmed device. */
async function update(device: Device, source: ConfigSource, document: string, builds: Record<string, Buffer>): Promise<Device> {
  device.config(source, document);
  const fetch = device.fetches.at(-1)!;
  const build = builds[fetch.url];
  assert.ok(build, `fetched ${fetch.url}`);
  device.serve(build);
  assert.equal(device.agent.state(), 4, `AwaitingReset; last status ${JSON.stringify(device.last())}`);
  const { device: trial } = await device.reboot();
  trial.agent.onHealthy();
  assert.equal(trial.last().status, "INSTALLED_VERSION");
  return trial;
}

test("a device on slot A takes slot B's build from `slots`, and on slot B takes slot A's: 1.0.0 on A -> 2.0.0 on B -> 3.0.0 on A", async () => {
  const two = release("2.0.0");
  const three = release("3.0.0");
  const device = await Device.start(norFlash(), { settings: XIP });
  const onB = await update(device, MURANO, slotsConfig("2.0.0", two), { [URL.A]: two.A, [URL.B]: two.B });
  assert.deepEqual(device.fetches.map((f) => f.url), [URL.B]);
  assert.ok(device.statuses.some((s) => s.status === "TEST_STEP" &&
    s.message === "the config gives a build per slot; this device writes slot B and takes its build"));
  assert.ok(device.statuses.some((s) => s.status === "DOWNLOAD_STEP" &&
    s.message === "MCUboot image linked to run from 0x21080000, where slot B runs"));
  assert.equal(onB.last().message, "");

  const onA = await update(onB, MURANO, slotsConfig("3.0.0", three), { [URL.A]: three.A, [URL.B]: three.B });
  assert.deepEqual(onB.fetches.map((f) => f.url), [URL.A]);
  assert.ok(onB.statuses.some((s) => s.message === "the config gives a build per slot; this device writes slot A and takes its build"));
  assert.ok(onB.statuses.some((s) => s.message === "MCUboot image linked to run from 0x21040000, where slot A runs"));
  const { slot } = await onA.reboot();
  assert.equal(slot, 1, "3.0.0 runs from slot A");
});

test("the Kaa specification's `slots` gives each device the link of its target slot the same way", async () => {
  const two = release("2.0.0");
  const three = release("3.0.0");
  const kaa = (version: string, builds: { A: Buffer; B: Buffer }) => JSON.stringify({
    configId: version,
    config: { ...entry(builds.B, URL.B, true), slots: { A: entry(builds.A, URL.A, true), B: entry(builds.B, URL.B, true) } },
  });
  const device = await Device.start(norFlash(), { settings: [[Setting.Cloud, 1], ...XIP] });
  const onB = await update(device, KAA, kaa("2.0.0", two), { [URL.A]: two.A, [URL.B]: two.B });
  const onA = await update(onB, KAA, kaa("3.0.0", three), { [URL.A]: three.A, [URL.B]: three.B });
  assert.deepEqual([...device.fetches, ...onB.fetches].map((f) => f.url), [URL.B, URL.A]);
  assert.equal((await onA.reboot()).slot, 1);
});

test("an image linked for the other slot is refused at its first chunk with DOWNLOAD_ERROR naming both addresses; the device stays on 1.0.0", async () => {
  const wrong = release("2.0.0").A;
  const device = await Device.start(norFlash(), { settings: XIP });
  device.config(MURANO, plainConfig("2.0.0", wrong));
  device.agent.onResponse(200, 0, wrong.length);
  device.agent.onData(wrong.subarray(0, HEADER));
  assert.deepEqual(device.last(), {
    version: "2.0.0", status: "DOWNLOAD_ERROR",
    message: "image is linked to run from 0x21040000 (MCUboot IMAGE_F_ROM_FIXED), but slot B runs from 0x21080000: this is another slot's build",
  });
  assert.ok(device.cancels >= 1, "the transfer is cancelled at the header");
  assert.equal(device.fetches.length, 1, "and not tried again");
  assert.equal(device.agent.state(), 0, "Idle");
  assert.equal(device.resets, 0);
  const { slot, device: after } = await device.reboot();
  assert.equal(slot, 1, "still slot A");
  assert.deepEqual(after.statuses, [{ version: "1.0.0", status: "INSTALLED_VERSION", message: "" }]);
});

test("a header split over chunks is checked once its 32 bytes are in", async () => {
  const wrong = release("2.0.0").A;
  const device = await Device.start(norFlash(), { settings: XIP });
  device.config(MURANO, plainConfig("2.0.0", wrong));
  device.agent.onResponse(200, 0, wrong.length);
  device.agent.onData(wrong.subarray(0, 7));
  device.agent.onData(wrong.subarray(7, 31));
  assert.equal(device.agent.state(), 2, "Receiving: 31 bytes are not a header yet");
  device.agent.onData(wrong.subarray(31, 40));
  assert.equal(device.last().status, "DOWNLOAD_ERROR");
  assert.match(device.last().message, /^image is linked to run from 0x21040000/);
});

test("on a device with keys the signed header check refuses the other slot's build too", async () => {
  const wrong = imgtoolSign(image(3000), { version: "2.0.0", key: vendor, romFixed: ADDRESS.A });
  const refused = await offer(wrong, "2.0.0", { flash: signedDeviceFlash(), settings: XIP });
  assert.equal(refused.last().status, "DOWNLOAD_ERROR");
  assert.equal(refused.last().message,
    "image is linked to run from 0x21040000 (MCUboot IMAGE_F_ROM_FIXED), but slot B runs from 0x21080000: this is another slot's build");
  const right = imgtoolSign(image(3000), { version: "2.0.0", key: vendor, romFixed: ADDRESS.B });
  const accepted = await offer(right, "2.0.0", { flash: signedDeviceFlash(), settings: XIP });
  assert.ok(accepted.statuses.some((s) => s.message === "MCUboot image header: version 2.0.0, body of 3000 bytes; linked to run from 0x21080000, where slot B runs"));
  assert.equal(accepted.agent.state(), 4, "installed, AwaitingReset");
});

test("without SlotAddressA/B a ROM_FIXED image installs, and a DOWNLOAD_STEP says its address was not checked", async () => {
  const build = release("2.0.0").A;
  const device = await Device.start(norFlash());
  device.config(MURANO, plainConfig("2.0.0", build));
  device.serve(build);
  assert.equal(device.agent.state(), 4, "installed");
  assert.ok(device.statuses.some((s) => s.status === "DOWNLOAD_STEP" && s.message ===
    "MCUboot image linked to run from 0x21040000; this device does not say where slot B runs (settings SlotAddressA, SlotAddressB), so only the bootloader checks that"));
});

test("an image without IMAGE_F_ROM_FIXED, or not an MCUboot image, installs in either slot with nothing said about addresses", async () => {
  for (const build of [imgtoolSign(image(6000), { version: "2.0.0" }), Buffer.from(image(6000))]) {
    const device = await Device.start(norFlash(), { settings: XIP });
    device.config(MURANO, plainConfig("2.0.0", build));
    device.serve(build);
    assert.equal(device.agent.state(), 4);
    assert.ok(!device.statuses.some((s) => s.message.includes("linked to run")));
  }
});

test("malformed `slots` tables are refused with TEST_ERROR naming the field", async () => {
  const two = release("2.0.0");
  const base = JSON.parse(slotsConfig("2.0.0", two));
  const config = (slots: unknown) => JSON.stringify({ ...base, slots });
  const kaaSpec = (spec: Record<string, unknown>) => JSON.stringify({ configId: "2.0.0", config: { link: URL.B, ...spec } });
  const murano = await Device.start(norFlash(), { settings: XIP });
  const kaa = await Device.start(norFlash(), { settings: [[Setting.Cloud, 1], ...XIP] });
  const cases: [Device, ConfigSource, string, string][] = [
    [murano, MURANO, config({ A: base.slots.A }), 'field "slots" has no build for slot B, the slot this device writes next'],
    [murano, MURANO, config({}), 'field "slots" has no build for slot B, the slot this device writes next'],
    [murano, MURANO, config("x"), 'config_otau: field "slots" must be object, not string'],
    [murano, MURANO, config({ ...base.slots, B: { sha256: base.slots.B.sha256 } }), 'slots.B: field "payload" is required'],
    [murano, MURANO, config({ ...base.slots, A: { ...base.slots.A, sha256: "xyz" } }), 'field "slots.A.sha256" must be 64 hexadecimal digits, not "xyz"'],
    [murano, MURANO, config({ ...base.slots, B: { ...base.slots.B, size: -5 } }), 'field "slots.B.size" must be a whole number of bytes below 4 GiB, not -5'],
    [murano, MURANO, config({ ...base.slots, B: { payload: "" } }), 'field "slots.B.payload" has an empty URL'],
    [murano, MURANO, slotsConfig("2.0.0", two).replace('"slots":{', `"slots":{"B":${JSON.stringify(base.slots.B)},`),
      'slots: field "B" appears more than once'],
    [murano, MURANO, slotsConfig("2.0.0", two).replace('"slots":{', '"slots":{},"slots":{'), 'config_otau: field "slots" appears more than once'],
    [murano, MURANO, slotsConfig("2.0.0", two).replace(`"B":{"payload"`, `"B":{"payload":"${URL.A}","payload"`),
      'slots.B: field "payload" appears more than once'],
    [murano, MURANO, JSON.stringify({ ...base, type: "URL_LIST", payload: [URL.A, URL.B], sha256: undefined, size: undefined }),
      'field "slots" gives one image per slot, so it goes with a FILE config, not type "URL_LIST"'],
    [kaa, KAA, kaaSpec({ link: undefined, links: [URL.A, URL.B], slots: { B: { link: URL.B } } }),
      'field "slots" gives one image per slot, so it goes with "link", not "links"'],
    [kaa, KAA, kaaSpec({ slots: { B: { payload: URL.B } } }), 'slots.B: field "link" is required'],
    [kaa, KAA, kaaSpec({ slots: { A: { link: URL.A } } }), 'field "slots" has no build for slot B, the slot this device writes next'],
  ];
  for (const [device, source, document, message] of cases) {
    device.config(source, document);
    assert.deepEqual(device.last(), { version: "2.0.0", status: "TEST_ERROR", message }, document);
  }
  assert.equal(murano.fetches.length + kaa.fetches.length, 0, "none of them started a download");
});
