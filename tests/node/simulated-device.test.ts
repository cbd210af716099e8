// The device runner on an in-process network under a manual clock: complete updates,
// trial boots confirmed and rolled back, a power cut mid-update, all through the emulated
// bootloader and with nothing kept across a power-on but the flash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileAgent, ConfigSource } from "../../firmware-sim/agent/agent-instance.ts";
import { ManualClock } from "../../firmware-sim/clock.ts";
import { NorFlash } from "../../firmware-sim/flash/nor-flash.ts";
import { makeFirmwareImage, readFirmwareHeader, sha256Hex } from "../../firmware-sim/device/firmware-image.ts";
import { InProcessCloud, InProcessFetcher } from "../../firmware-sim/device/in-process.ts";
import { SimulatedDevice } from "../../firmware-sim/device/simulated-device.ts";

const SECTOR = 4096;
const SLOT = 32 * SECTOR;

async function rig(newImage: Buffer) {
  const clock = new ManualClock(0);
  const flash = new NorFlash({
    areas: [
      { size: 4 * SECTOR, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff },
      { size: SLOT, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff },
      { size: SLOT, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff },
    ],
  });
  flash.bytes(1).set(makeFirmwareImage({ version: "1.0.0", size: 20_000 }));
  const fetcher = new InProcessFetcher(clock);
  const cloud = new InProcessCloud(clock);
  fetcher.serve("http://files.test/fw.bin", newImage);
  const device = new SimulatedDevice({
    id: "dev-1", module: await compileAgent(), flash, clock, cloud, fetcher, factoryVersion: "1.0.0",
  });
  const config = JSON.stringify({
    version: readFirmwareHeader(newImage)!.version, name: "fw", type: "FILE", payload: "http://files.test/fw.bin",
    sha256: sha256Hex(newImage), size: newImage.length,
  });
  /** Runs the clock in 5 ms steps until `done` or `limitMs` of device time. */
  const runUntil = (done: () => boolean, limitMs = 120_000): void => {
    while (!done() && clock.now() < limitMs) clock.advance(5);
  };
  return { clock, flash, fetcher, cloud, device, config, runUntil };
}

const finished = (device: SimulatedDevice, version: string) => (): boolean =>
  device.condition !== "running" && device.condition !== "off" ||
  device.otauIn().some((r) => r.status === "INSTALLED_VERSION" && r.version === version && r !== device.otauIn()[0]);

test("a device updates, boots the new image on trial, confirms it and reports INSTALLED_VERSION of the new version", async () => {
  const image = makeFirmwareImage({ version: "2.0.0", size: 50_000 });
  const { device, cloud, config, runUntil } = await rig(image);
  device.powerOn();
  cloud.publish(ConfigSource.MuranoConfigOtau, config);
  runUntil(finished(device, "2.0.0"));
  const statuses = device.otauIn().map((r) => r.status).filter((s, i, all) => !s.endsWith("_STEP") || all[i - 1] !== s);
  assert.deepEqual(statuses, [
    "INSTALLED_VERSION", "INIT", "TEST", "TEST_STEP", "TEST_SUCCESS", "DOWNLOAD", "DOWNLOAD_STEP", "DOWNLOAD_SUCCESS",
    "INSTALL", "INSTALL_STEP", "INSTALL_SUCCESS", "INSTALLED_VERSION",
  ]);
  assert.deepEqual(device.boots.map((b) => [b.version, b.onTrial]), [["1.0.0", false], ["2.0.0", true]]);
  assert.equal(device.runningImage?.version, "2.0.0");
  assert.equal(device.traps.length, 0);
});

test("an image that never confirms itself is rolled back by the bootloader and the agent reports INSTALL_ERROR, then the old version", async () => {
  const image = makeFirmwareImage({ version: "2.0.0", size: 30_000, healthy: false });
  const { device, cloud, config, runUntil } = await rig(image);
  device.powerOn();
  cloud.publish(ConfigSource.MuranoConfigOtau, config);
  runUntil(() => device.otauIn().some((r) => r.status === "INSTALL_ERROR"));
  runUntil(() => device.boots.length > 0 && device.runningImage?.version === "1.0.0" && device.otauIn().at(-1)?.status === "INSTALLED_VERSION");
  const tail = device.otauIn().slice(-2);
  assert.deepEqual(tail.map((r) => [r.status, r.version]), [["INSTALL_ERROR", "2.0.0"], ["INSTALLED_VERSION", "1.0.0"]]);
  assert.match(tail[0].message ?? "", /not confirmed healthy within 3 boots; rolled back to 1\.0\.0/);
  assert.deepEqual(device.boots.map((b) => b.version), ["1.0.0", "2.0.0", "2.0.0", "2.0.0", "1.0.0"]);
});

test("a torn write in the middle of the download loses power, and the device boots the old image and finishes the update", async () => {
  const image = makeFirmwareImage({ version: "2.0.0", size: 50_000 });
  const { device, cloud, config, flash, fetcher, runUntil } = await rig(image);
  device.powerOn();
  cloud.publish(ConfigSource.MuranoConfigOtau, config);
  runUntil(() => device.otauIn().some((r) => r.status === "DOWNLOAD_STEP" && /file 1 of 1: [5-9]\d%/.test(r.message ?? "")));
  flash.cutAt({ at: flash.operations + 2, kind: "torn" });
  runUntil(finished(device, "2.0.0"));
  assert.equal(device.powerLosses.length, 1);
  assert.equal(device.boots[1].version, "1.0.0", "after the cut the old image boots");
  assert.equal(device.runningImage?.version, "2.0.0");
  assert.ok(fetcher.requests.some((r) => r.offset > 0), `the download resumed from a verified length (${JSON.stringify(fetcher.requests)})`);
});

test("the same config delivered again after the trial image confirmed itself answers INSTALLED_VERSION and starts nothing", async () => {
  const image = makeFirmwareImage({ version: "2.0.0", size: 50_000 });
  const { device, cloud, config, fetcher, clock, runUntil } = await rig(image);
  device.powerOn();
  cloud.publish(ConfigSource.MuranoConfigOtau, config);
  runUntil(finished(device, "2.0.0"));
  const before = device.otauIn().length;
  const requests = fetcher.requests.length;
  cloud.publish(ConfigSource.MuranoConfigOtau, config);
  // Five more seconds of device time: long enough for a wrongly started update to show itself.
  runUntil(() => false, clock.now() + 5_000);
  assert.deepEqual(device.otauIn().slice(before).map((r) => [r.status, r.version]), [["INSTALLED_VERSION", "2.0.0"]]);
  assert.equal(fetcher.requests.length, requests, "nothing downloaded");
});
