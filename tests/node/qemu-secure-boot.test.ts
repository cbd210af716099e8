// Secure boot on the QEMU mps2-an386 board: a device whose trust store (area 3) was written at
// the factory with the vendor's key runs only images MCUboot's imgtool signed with it. A signed
// update installs through the UART bridge and the bootloader verifies it before its trial boot;
// an image signed by another key, written straight into slot B with a boot record forged to
// ask for its trial (the physical-flash attack of docs/security.md), is never started, and the
// cloud hears why.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SlotState, encodeRecord, readBootRecord, recordLayout, sha256 } from "../../firmware-sim/flash/boot-record.ts";
import { NorFlash } from "../../firmware-sim/flash/nor-flash.ts";
import { encodeTrustStore } from "../../firmware-sim/flash/trust-store.ts";
import { readEd25519PublicKey } from "../../firmware-sim/image/mcuboot-image.ts";
import type { OtauInDocument } from "../../firmware-sim/murano/otau-documents.ts";
import { BOOT_RECORD_BYTES, SECTOR_BYTES, SLOT_BYTES, SLOT_OFFSETS, TRUST_STORE_BYTES } from "../../firmware-sim/bridge/qemu-board.ts";
import { IMAGES_DIR, QemuUpdateRig, buildBoardImages } from "../../firmware-sim/bridge/qemu-update-rig.ts";
import { imgtoolKeygen, imgtoolSign } from "./support/imgtool.ts";

const BOOT_MS = 60_000;
const UPDATE_MS = 120_000;
const NOR_BASE = 0x21000000;
const geometry = (size: number) => ({ size, sectorSize: SECTOR_BYTES, writeAlign: 4, erasedValue: 0xff as const });
const rig = new QemuUpdateRig();
const vendor = imgtoolKeygen();
const attacker = imgtoolKeygen();
let trustStore: Buffer;

/** The application build `name` (its body, linked for `slot`) signed by `key` as the Makefile's unsigned images are made. */
function signedBuild(name: string, version: string, slot: "A" | "B", key: typeof vendor): Buffer {
  const body = readFileSync(join(IMAGES_DIR, `${name}.body.bin`));
  return imgtoolSign(body, { version, key, romFixed: NOR_BASE + SLOT_OFFSETS[slot] });
}

before(async () => {
  buildBoardImages();
  await rig.start();
  trustStore = encodeTrustStore({ sequence: 1, securityCounter: 0, generation: 0, keys: [readEd25519PublicKey(readFileSync(vendor.publicPem))] },
    geometry(TRUST_STORE_BYTES));
});
after(() => rig.stop());

const is = (status: string, version: string) => (s: OtauInDocument): boolean => s.status === status && s.version === version;

describe("QEMU board: secure boot with a provisioned key", { concurrency: true }, () => {
  it("installs a 2.0.0 imgtool signed with the vendor's key: the bootloader verifies its signature before the trial boot", async () => {
    const device = await rig.device("qemu-signed", signedBuild("app-1.0.0-A", "1.0.0", "A", vendor), trustStore);
    const board = device.powerOn();
    await board.waitForLine(/^app 1\.0\.0 running from slot A$/, BOOT_MS);
    assert.ok(board.lines.includes("image check: slot A signature verified"), board.lines.slice(0, 4).join(" | "));
    await device.waitForStatus(is("INSTALLED_VERSION", "1.0.0"), BOOT_MS);
    device.apply(rig.publish("app-2.0.0-B-signed", "2.0.0", signedBuild("app-2.0.0-B", "2.0.0", "B", vendor)));
    await device.waitForStatus(is("INSTALL_SUCCESS", "2.0.0"), UPDATE_MS);
    assert.ok(device.console.includes("bootloader: slot B (trial-boot)"), "the update started on trial");
    assert.ok(device.console.includes("image check: slot B signature verified"), "after the bootloader verified it");
    assert.ok(!device.console.some((line) => line.includes("refused")), device.console.join("\n"));
    assert.deepEqual(device.appLines(), ["app 1.0.0 running from slot A", "app 2.0.0 running from slot B"]);
    const statuses = device.statuses();
    assert.ok(statuses.some((s) => s.status === "DOWNLOAD_STEP" && /ED25519 signature verified with trusted key/.test(s.message ?? "")),
      "the agent verified it too");
  });

  it("never starts an image signed by another key written into slot B with a forged record: one line says why, 1.0.0 runs on", async () => {
    const device = await rig.device("qemu-forged", signedBuild("app-1.0.0-A", "1.0.0", "A", vendor), trustStore);
    const first = device.powerOn();
    await first.waitForLine(/^app 1\.0\.0 running from slot A$/, BOOT_MS);
    await device.waitForStatus(is("INSTALLED_VERSION", "1.0.0"), BOOT_MS);
    await device.powerOff();

    // The attacker's flash writes: slot B, and a newer record copy asking for its trial boot.
    const forged = signedBuild("app-2.0.0-B", "2.0.0", "B", attacker);
    const part = readFileSync(device.flashFile);
    const flash = new NorFlash({ areas: [geometry(BOOT_RECORD_BYTES), geometry(SLOT_BYTES), geometry(SLOT_BYTES)] });
    flash.bytes(0).set(part.subarray(0, BOOT_RECORD_BYTES));
    const record = readBootRecord(flash);
    assert.ok(record, "the factory boot wrote a record");
    const copy = 1 - record.copy;
    const slots = [record.slots[0], { state: SlotState.Trial, size: forged.length, digest: sha256(forged), version: "2.0.0" }] as typeof record.slots;
    const bytes = encodeRecord({ ...record, sequence: record.sequence + 1, trial: 2, attempts: 3, booted: false, slots }, geometry(BOOT_RECORD_BYTES));
    const { copySpan } = recordLayout(geometry(BOOT_RECORD_BYTES));
    part.fill(0xff, copy * copySpan, (copy + 1) * copySpan);
    part.set(bytes, copy * copySpan);
    part.fill(0xff, SLOT_OFFSETS.B, SLOT_OFFSETS.B + SLOT_BYTES);
    part.set(forged, SLOT_OFFSETS.B);
    writeFileSync(device.flashFile, part);

    const again = device.powerOn();
    await again.waitForLine(/^app 1\.0\.0 running from slot A$/, BOOT_MS);
    assert.deepEqual(again.lines.filter((line) => line.startsWith("bootloader: ")), [
      "bootloader: slot B refused: signed by a key this device does not trust",
      "bootloader: slot A (active)",
    ]);
    assert.deepEqual(device.appLines(), ["app 1.0.0 running from slot A", "app 1.0.0 running from slot A"]);
    assert.ok(!again.lines.some((line) => line.startsWith("app 2.0.0")), "the forged image never ran");
    // The record kept why, and the agent tells the cloud.
    await device.waitForStatus(is("INSTALL_ERROR", "2.0.0"), BOOT_MS);
    assert.equal(device.statuses().find(is("INSTALL_ERROR", "2.0.0"))?.message,
      "version 2.0.0 was refused by the bootloader: signed by a key this device does not trust; rolled back to 1.0.0");
  });
});
