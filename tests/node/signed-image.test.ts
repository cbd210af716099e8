// Signed images end to end through the agent (build/agent.wasm over firmware-sim's NOR flash)
// on a device whose trust store holds keys: images made by MCUboot's real imgtool install;
// tampered, truncated, unsigned, foreign-key, old and mix-and-match images are refused,
// each with a status naming the reason. The exhaustive flip campaign over every body byte is
// `npm run test:signed-flips` (tests/node/signed-flips-all.ts); here every header and TLV
// byte and a sample of the body.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { makeFirmwareImage } from "../../firmware-sim/device/firmware-image.ts";
import { NorFlash } from "../../firmware-sim/flash/nor-flash.ts";
import { readTrustStore } from "../../firmware-sim/flash/trust-store.ts";
import { readEd25519PrivateKey, signImage } from "../../firmware-sim/image/mcuboot-image.ts";
import { ConfigSource, Device, SECTOR, SLOT_SIZE, Setting } from "./support/engine-device.ts";
import { imgtoolSign, imgtoolVerifies } from "./support/imgtool.ts";
import { attacker, body2, flipCampaign, installed, offer, rotated, signedDeviceFlash, vendor, vendorKey } from "./support/signed-device.ts";


test("an image signed by imgtool with either provisioned key installs, is confirmed, and its security counter is recorded", async () => {
  for (const key of [vendor, rotated]) {
    const image = imgtoolSign(body2, { version: "2.0.0", key, securityCounter: 4 });
    const flash = signedDeviceFlash();
    const device = await offer(image, "2.0.0", { flash });
    assert.deepEqual(device.folded(), [
      "INSTALLED_VERSION", "INIT", "TEST", "TEST_STEP", "TEST_STEP", "TEST_STEP", "TEST_STEP", "TEST_SUCCESS",
      "DOWNLOAD", "DOWNLOAD_STEP", "DOWNLOAD_SUCCESS", "INSTALL", "INSTALL_STEP",
    ]);
    assert.match(device.statuses[4].message, /this device trusts 2 keys/);
    assert.ok(device.statuses.some((s) => /ED25519 signature verified with trusted key/.test(s.message)));
    const { slot, device: rebooted } = await device.reboot();
    assert.equal(slot, 2);
    rebooted.agent.onHealthy();
    assert.ok(rebooted.statuses.some((s) => s.status === "INSTALL_SUCCESS" && /security counter 4 recorded/.test(s.message)), JSON.stringify(rebooted.statuses));
    assert.equal(readTrustStore(flash)!.securityCounter, 4);
  }
});

test("otau-sim's own signer writes what imgtool verifies, byte for byte the same image as imgtool sign", () => {
  const key = readEd25519PrivateKey(readFileSync(vendor.privatePem));
  const ours = signImage(body2, { version: "2.0.0+3", key, securityCounter: 9 });
  assert.ok(imgtoolVerifies(ours, vendor));
  assert.ok(!imgtoolVerifies(ours, attacker));
  assert.deepEqual(ours, imgtoolSign(body2, { version: "2.0.0+3", key: vendor, securityCounter: 9 }));
  const fixed = signImage(body2, { version: "2.0.0", key, romFixed: 0x21080000 });
  assert.deepEqual(fixed, imgtoolSign(body2, { version: "2.0.0", key: vendor, romFixed: 0x21080000 }), "with --rom-fixed too");
  assert.deepEqual(signImage(body2, { version: "2.0.0", romFixed: 0x21040000 }), imgtoolSign(body2, { version: "2.0.0", romFixed: 0x21040000 }), "unsigned");
});

/** Refused: no INSTALL, and the last status is an error whose message matches. */
function assertRefused(device: Device, status: string, message: RegExp, what: string): void {
  assert.ok(!installed(device), `${what}: installed (${JSON.stringify(device.statuses.slice(-3))})`);
  assert.equal(device.last().status, status, `${what}: ${JSON.stringify(device.last())}`);
  assert.match(device.last().message, message, what);
}

test("every single-byte flip in the header and the TLV area, and in every 97th body byte, is refused, with the config's digest matching the tampered file", async () => {
  await flipCampaign(97);
});

test("an image signed by a key the device does not trust is refused naming the key's hash", async () => {
  const image = imgtoolSign(body2, { version: "2.0.0", key: attacker });
  assertRefused(await offer(image, "2.0.0"), "DOWNLOAD_ERROR", /^image is signed by key [0-9a-f]{64} \(KEYHASH\), which this device does not trust$/, "attacker key");
});

test("an unsigned image (imgtool sign without a key) and a bare file are refused on a device with keys", async () => {
  const hashOnly = imgtoolSign(body2, { version: "2.0.0" });
  assertRefused(await offer(hashOnly, "2.0.0"), "DOWNLOAD_ERROR", /^image is not signed \(no ED25519 TLV\) and this device trusts 2 keys$/, "hash only");
  assertRefused(await offer(body2, "2.0.0"), "DOWNLOAD_ERROR", /^image header magic is 0x[0-9a-f]{8}, not MCUboot's 0x96f3b83d$/, "bare file");
  const oneKey = signedDeviceFlash([vendorKey]);
  assertRefused(await offer(hashOnly, "2.0.0", { flash: oneKey }), "DOWNLOAD_ERROR", /^image is not signed \(no ED25519 TLV\) and this device trusts 1 key$/, "hash only, one key");
});

test("a truncated TLV area is refused, and so is a file cut inside its header", async () => {
  const image = imgtoolSign(body2, { version: "2.0.0", key: vendor });
  for (const cut of [1, 4, 64, image.length - (0x200 + body2.length) - 4]) {
    assertRefused(await offer(image.subarray(0, image.length - cut), "2.0.0"), "DOWNLOAD_ERROR", /TLV area|cannot read byte/, `cut ${cut}`);
  }
  assertRefused(await offer(image.subarray(0, 20), "2.0.0"), "DOWNLOAD_ERROR", /shorter than an MCUboot header/, "20 bytes");
});

test("a validly signed old image is refused: as itself (older than installed), under a newer config version (mix-and-match), and by its lower security counter where downgrades are allowed", async () => {
  const old = imgtoolSign(makeFirmwareImage({ version: "1.5.0", size: 3000 }), { version: "1.5.0", key: vendor, securityCounter: 2 });
  assertRefused(await offer(old, "1.5.0", { firmware: "2.0.0" }), "TEST_ERROR", /^version 1\.5\.0 is older than installed 2\.0\.0/, "older");
  assertRefused(await offer(old, "3.0.0", { firmware: "2.0.0" }), "DOWNLOAD_ERROR", /^image header version 1\.5\.0 differs from the config's version 3\.0\.0$/, "mix-and-match");
  const downgrades = await offer(old, "1.5.0", { firmware: "2.0.0", flash: signedDeviceFlash(undefined, 5), settings: [[Setting.AllowDowngrade, 1]] });
  assertRefused(downgrades, "DOWNLOAD_ERROR", /^image security counter 2 is lower than the recorded 5$/, "counter");
  const allowed = await offer(old, "1.5.0", { firmware: "2.0.0", flash: signedDeviceFlash(undefined, 2), settings: [[Setting.AllowDowngrade, 1]] });
  assert.ok(installed(allowed), "an equal counter with downgrades allowed installs");
});

test("the header is refused before the body arrives: an image larger than the slot stops at its first chunk", async () => {
  const image = imgtoolSign(body2, { version: "2.0.0", key: vendor });
  const device = await Device.start(signedDeviceFlash(), { settings: [[Setting.MaxAttempts, 1]] });
  const lying = Buffer.from(image);
  lying.writeUInt32LE(SLOT_SIZE, 12); // the header claims a body as large as the slot
  device.config(ConfigSource.MuranoConfigOtau, JSON.stringify({ version: "2.0.0", name: "fw", type: "FILE", payload: "http://files.test/fw.bin" }));
  device.agent.onResponse(200, 0, 0);
  device.agent.onData(lying.subarray(0, 64));
  assert.equal(device.last().status, "DOWNLOAD_ERROR");
  assert.match(device.last().message, /^image header needs at least \d+ bytes \(header, body, TLV area\); the slot holds 262144$/);
  assert.equal(device.cancels > 0, true, "the transfer is cancelled");
});

test("a device without keys installs an unsigned image as before", async () => {
  const area = (size: number) => ({ size, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff as const });
  const flash = new NorFlash({ areas: [area(8 * SECTOR), area(SLOT_SIZE), area(SLOT_SIZE)] });
  assert.ok(installed(await offer(body2, "2.0.0", { flash })));
});
