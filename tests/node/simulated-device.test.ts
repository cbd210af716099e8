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
import { SlotState, placeRecordCopy, readBootRecord, sha256 } from "../../firmware-sim/flash/boot-record.ts";
import { provisionTrustStore } from "../../firmware-sim/flash/trust-store.ts";
import { ed25519PublicKeyBytes, signImage } from "../../firmware-sim/image/mcuboot-image.ts";
import { type KeyObject, generateKeyPairSync } from "node:crypto";

const SECTOR = 4096;
const SLOT = 32 * SECTOR;

async function rig(newImage: Buffer, trustedKeys: Uint8Array[] = []) {
  const clock = new ManualClock(0);
  const area = (size: number) => ({ size, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff as const });
  const flash = new NorFlash({ areas: [area(4 * SECTOR), area(SLOT), area(SLOT), ...(trustedKeys.length > 0 ? [area(2 * SECTOR)] : [])] });
  flash.bytes(1).set(makeFirmwareImage({ version: "1.0.0", size: 20_000 }));
  if (trustedKeys.length > 0) provisionTrustStore(flash, trustedKeys);
  const fetcher = new InProcessFetcher(clock);
  const cloud = new InProcessCloud(clock);
  fetcher.serve("http://files.test/fw.bin", newImage);
  const log: string[] = [];
  const device = new SimulatedDevice({
    id: "dev-1", module: await compileAgent(), flash, clock, cloud, fetcher, factoryVersion: "1.0.0", log: (_level, text) => log.push(text),
  });
  const config = JSON.stringify({
    version: readFirmwareHeader(newImage)!.version, name: "fw", type: "FILE", payload: "http://files.test/fw.bin",
    sha256: sha256Hex(newImage), size: newImage.length,
  });
  /** Runs the clock in 5 ms steps until `done` or `limitMs` of device time. */
  const runUntil = (done: () => boolean, limitMs = 120_000): void => {
    while (!done() && clock.now() < limitMs) clock.advance(5);
  };
  return { clock, flash, fetcher, cloud, device, config, runUntil, log };
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

/**
 * The physical-flash attack on a device that trusts the vendor's key: with the device off, an
 * image `signed` (by the attacker, or the vendor) is written straight into slot B, with a boot
 * record that asks for its trial boot and names its digest. Then the device is powered on.
 */
async function forgedTrial(signer: KeyObject | "vendor") {
  const vendor = generateKeyPairSync("ed25519");
  const rigged = await rig(makeFirmwareImage({ version: "2.0.0", size: 1000 }), [ed25519PublicKeyBytes(vendor.publicKey)]);
  const { device, flash, runUntil } = rigged;
  device.powerOn();
  runUntil(() => device.otauIn().length > 0);
  device.powerOff();
  const forged = signImage(makeFirmwareImage({ version: "2.0.0", size: 30_000 }), { version: "2.0.0", key: signer === "vendor" ? vendor.privateKey : signer });
  flash.bytes(2).set(forged);
  const current = readBootRecord(flash)!;
  placeRecordCopy(flash, 1 - current.copy, {
    ...current, sequence: current.sequence + 1, trial: 2, attempts: 3, booted: false,
    slots: [current.slots[0], { state: SlotState.Trial, size: forged.length, digest: sha256(forged), version: "2.0.0" }],
  });
  device.powerOn();
  return rigged;
}

test("on a device with keys the emulated bootloader never starts an attacker's image written into slot B under a forged trial record, and the cloud hears why", async () => {
  const { device, flash, log } = await forgedTrial(generateKeyPairSync("ed25519").privateKey);
  assert.deepEqual(device.boots.map((b) => [b.slot, b.version]), [[1, "1.0.0"], [1, "1.0.0"]], "slot B never started");
  assert.ok(log.includes("dev-1: bootloader: slot B refused: signed by a key this device does not trust"), log.join("\n"));
  assert.deepEqual(readBootRecord(flash)?.slots[1].failure, { cause: 1, problem: 20 }, "the record keeps why: refused, ImageProblem UnknownKey");
  assert.deepEqual(device.otauIn().slice(1).map((r) => [r.version, r.status, r.message]), [
    ["2.0.0", "INSTALL_ERROR", "version 2.0.0 was refused by the bootloader: signed by a key this device does not trust; rolled back to 1.0.0"],
    ["1.0.0", "INSTALLED_VERSION", ""],
  ]);
});

test("the same forged trial record over an image the vendor signed starts it on trial: the check refuses only what fails it", async () => {
  const { device, log } = await forgedTrial("vendor");
  assert.deepEqual(device.boots.map((b) => [b.slot, b.version, b.onTrial]), [[1, "1.0.0", false], [2, "2.0.0", true]]);
  assert.ok(!log.some((line) => /refused/.test(line)), log.join("\n"));
});
