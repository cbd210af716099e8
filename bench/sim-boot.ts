// `npm run bench:sim-boot`: what firmware-sim's emulated bootloader costs per power-on
// (firmware-sim/device/bootloader.ts): a normal boot and a trial boot, on a device without keys
// and on one that trusts a key, where a pending trial is checked by build/boot_verifier.wasm
// first (a 100 KB signed image: its hash and one Ed25519 verification). Mean over fresh flashes.
import { generateKeyPairSync } from "node:crypto";
import { compileAgent } from "../firmware-sim/agent/agent-instance.ts";
import { runBootloader } from "../firmware-sim/device/bootloader.ts";
import { makeFirmwareImage } from "../firmware-sim/device/firmware-image.ts";
import { SlotState, placeRecordCopy, sha256 } from "../firmware-sim/flash/boot-record.ts";
import { NorFlash } from "../firmware-sim/flash/nor-flash.ts";
import { provisionTrustStore } from "../firmware-sim/flash/trust-store.ts";
import { ed25519PublicKeyBytes, signImage } from "../firmware-sim/image/mcuboot-image.ts";

const SECTOR = 4096;
const BOOTS = 50;
const vendor = generateKeyPairSync("ed25519");
const factory = makeFirmwareImage({ version: "1.0.0", size: 24 * 1024 });
const update = signImage(makeFirmwareImage({ version: "2.0.0", size: 100_000 }), { version: "2.0.0", key: vendor.privateKey });

/** Factory image confirmed in A, the signed update in B (on trial with `trial`), a key in area 3 with `keys`. */
function deviceFlash(keys: boolean, trial: boolean): NorFlash {
  const area = (size: number) => ({ size, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff as const });
  const flash = new NorFlash({ areas: [area(4 * SECTOR), area(64 * SECTOR), area(64 * SECTOR), ...(keys ? [area(2 * SECTOR)] : [])] });
  flash.bytes(1).set(factory);
  flash.bytes(2).set(update);
  if (keys) provisionTrustStore(flash, [ed25519PublicKeyBytes(vendor.publicKey)]);
  placeRecordCopy(flash, 0, {
    sequence: 1, active: 1, trial: trial ? 2 : 0, attempts: trial ? 3 : 0, booted: false,
    slots: [{ state: SlotState.Confirmed, size: factory.length, digest: sha256(factory), version: "1.0.0" },
      trial ? { state: SlotState.Trial, size: update.length, digest: sha256(update), version: "2.0.0" }
        : { state: SlotState.Empty, size: 0, digest: new Uint8Array(32), version: "" }],
  });
  return flash;
}

const module = await compileAgent();
for (const [name, keys, trial] of [
  ["no keys, normal boot", false, false], ["no keys, trial boot", false, true],
  ["a trusted key, normal boot", true, false], ["a trusted key, trial boot (image checked)", true, true],
] as const) {
  runBootloader(module, deviceFlash(keys, trial)); // warm-up (and the verifier's one instantiation)
  const flashes = Array.from({ length: BOOTS }, () => deviceFlash(keys, trial));
  const start = performance.now();
  for (const flash of flashes) {
    const slot = runBootloader(module, flash);
    if (slot !== (trial ? 2 : 1)) throw new Error(`${name}: the bootloader answered ${slot}`);
  }
  console.log(`${name.padEnd(44)} ${((performance.now() - start) / BOOTS).toFixed(2)} ms per boot`);
}
