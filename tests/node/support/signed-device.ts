// A device with provisioned keys for the signed-image tests, and the byte-flip campaign
// shared by tests/node/signed-image.test.ts (a sample of the body) and
// tests/node/signed-flips-all.ts (`npm run test:signed-flips`: every byte).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { makeFirmwareImage } from "../../../firmware-sim/device/firmware-image.ts";
import { NorFlash } from "../../../firmware-sim/flash/nor-flash.ts";
import { provisionTrustStore } from "../../../firmware-sim/flash/trust-store.ts";
import { readEd25519PublicKey } from "../../../firmware-sim/image/mcuboot-image.ts";
import { ConfigSource, Device, SECTOR, SLOT_SIZE, Setting, fileConfig } from "./engine-device.ts";
import { imgtoolKeygen, imgtoolSign } from "./imgtool.ts";

export const vendor = imgtoolKeygen();
export const rotated = imgtoolKeygen();
export const attacker = imgtoolKeygen();
export const vendorKey = readEd25519PublicKey(readFileSync(vendor.publicPem));
export const rotatedKey = readEd25519PublicKey(readFileSync(rotated.publicPem));

/** Boot record, two 256 KiB slots, and a trust store provisioned with the vendor's two keys. */
export function signedDeviceFlash(keys: Uint8Array[] = [vendorKey, rotatedKey], counter = 0): NorFlash {
  const area = (size: number) => ({ size, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff as const });
  const flash = new NorFlash({ areas: [area(8 * SECTOR), area(SLOT_SIZE), area(SLOT_SIZE), area(2 * SECTOR)] });
  provisionTrustStore(flash, keys, counter);
  return flash;
}

export const body2 = makeFirmwareImage({ version: "2.0.0", size: 3000 });

/** Offers `image` under `version` (the config's sha256 and size are the image's own: a matching digest) and lets it run to its end. */
export async function offer(image: Uint8Array, version: string, options: { flash?: NorFlash; firmware?: string; settings?: [Setting, number][] } = {}) {
  const device = await Device.start(options.flash ?? signedDeviceFlash(), {
    firmware: options.firmware ?? "1.0.0", settings: [[Setting.MaxAttempts, 1], ...(options.settings ?? [])],
  });
  device.config(ConfigSource.MuranoConfigOtau, fileConfig(image, version));
  if (device.fetches.length > 0) device.serve(image);
  return device;
}

export function installed(device: Device): boolean {
  return device.names().includes("INSTALL_STEP");
}

/**
 * Flips one bit in each byte of the header and TLV area and in every `bodyStride`th body
 * byte of an imgtool-signed image, offers each with a config whose sha256 matches the
 * tampered file, and checks that none installs and the refusals name their reasons.
 */
export async function flipCampaign(bodyStride: number): Promise<void> {
  const image = imgtoolSign(body2, { version: "2.0.0", key: vendor, securityCounter: 1 });
  const tlvStart = image.readUInt16LE(8) + image.readUInt32LE(12);
  const positions: number[] = [];
  for (let at = 0; at < image.length; at++) {
    if (at < 0x200 || at >= tlvStart || (at - 0x200) % bodyStride === 0) positions.push(at);
  }
  const reasons = new Map<string, number>();
  for (const at of positions) {
    const tampered = Buffer.from(image);
    tampered[at] ^= 0x01 << (at % 8);
    const device = await offer(tampered, "2.0.0");
    assert.ok(!installed(device), `flip at byte ${at} was installed`);
    const last = device.last();
    assert.ok(last.status === "DOWNLOAD_ERROR" || last.status === "TEST_ERROR", `flip at byte ${at}: ${JSON.stringify(last)}`);
    const reason = last.message.replace(/[0-9a-f]{16,}|\d+/g, "#").replace(/^gave up after # attempt: /, "");
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  // The refusals name their reasons: the hash, the magic, the version, malformed TLVs, the key, the signature.
  const all = [...reasons.keys()].join("\n");
  for (const expected of [/image hash read back from flash is/, /magic/, /header version/, /TLV area malformed/, /KEYHASH/, /does not verify/]) {
    assert.match(all, expected);
  }
  console.log(`signed-image flips: ${positions.length} of ${image.length} bytes flipped, all refused`);
}
