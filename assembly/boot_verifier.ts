// The bootloader's image check (secure boot): the agent's own MCUboot parser, trust store,
// SHA-256 and Ed25519 verifier in a module of their own, with no state machine, so that
// one implementation decides both at download and at boot. Built as build/boot_verifier.wasm
// and translated to C by wasm2c at build time (scripts/wasm2c-boot-verifier.sh); the bootloader
// answers its imports (host/boot/boot_image_check.c): flash_info and flash_read over areas 1
// to 3, sha256_native with its C SHA-256, and ed25519_native "not provided" (it is the native one).
// docs/security.md "The bootloader's check" says what it checks and when.
import { IO_SCRATCH_OFFSET, ioBuffer } from "./io";
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE, ed25519Verify } from "./crypto/ed25519";
import { IMAGE_MAGIC, imageHeaderLoad, imageHeaderShapeCheck, imageMagic, imageTlvEnd, imageTlvScan } from "./image/mcuboot";
import { BootRefusal, ImageProblem, noteProblem } from "./image/problem";
import { imageHashCheck, imageVerify } from "./image/verify";
import { alignUp, areaLoad, areaSize, areaWriteAlign } from "./storage/areas";
import { StorageStatus } from "./storage/status";
import { trustStoreKeyCount, trustStoreLoad, trustStorePresent } from "./storage/trust_store";

/** What an accepted image's acceptance rested on (boot_checked). */
const enum BootChecked {
  /** No trusted keys and not an MCUboot image: the boot record's digest is the only check. */
  RecordDigestOnly = 0,
  /** No trusted keys: the MCUboot image hash equals its SHA256 TLV. */
  ImageHash = 1,
  /** The image hash matches and its ED25519 signature verifies with a trusted key. */
  Signature = 2,
}

let checked = BootChecked.RecordDigestOnly;

/** An assertion in the shared code failed: trap, and the bootloader refuses the slot. */
function bootVerifierAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

/**
 * Checks the image in `slot` (1 or 2) before it is started. `size`: the bytes the boot record
 * says the image has, padded to the write unit (its TLV area must end in the last unit), 0
 * when there is no record. Returns 0 when
 * the slot may start (boot_checked() says on what grounds), otherwise why not: an ImageProblem
 * (image/problem.ts), BootRefusal.SlotUnreadable or TrustStoreUnreadable. With trusted keys in area 3 an
 * image must be MCUboot's, signed by one of them, with a security counter not below the
 * recorded one; without keys an MCUboot image must match its own hash and any other image is
 * left to the boot record's digest.
 */
export function boot_verify(slot: i32, size: u32): i32 {
  checked = BootChecked.RecordDigestOnly;
  const store = trustStoreLoad();
  if (store != StorageStatus.Ok && store != StorageStatus.NoRecord && store != StorageStatus.FlashNoSuchArea) return BootRefusal.TrustStoreUnreadable;
  const keys = trustStorePresent() && trustStoreKeyCount() > 0;
  if (areaLoad(slot) != StorageStatus.Ok || !imageHeaderLoad(slot)) return BootRefusal.SlotUnreadable;
  if (!keys && imageMagic() != IMAGE_MAGIC) return ImageProblem.None;
  const shape = imageHeaderShapeCheck(size, areaSize(slot));
  if (shape != ImageProblem.None) return shape;
  // The record's size is the slot writer's, padded to the write unit (docs/boot-record.md):
  // the TLV area must end in its last unit. The padding is erased flash, outside the image.
  const scanned = imageTlvScan(slot, 0);
  if (scanned != ImageProblem.None) return scanned;
  const end = imageTlvEnd();
  if (size != 0 && <u64>alignUp(<u32>end, areaWriteAlign(slot)) != <u64>size) {
    return noteProblem(ImageProblem.TlvAreaLengthDiffers, end, size);
  }
  const problem = keys ? imageVerify(slot, 0, true) : imageHashCheck(slot, 0);
  if (problem != ImageProblem.None) return problem;
  checked = keys ? BootChecked.Signature : BootChecked.ImageHash;
  return ImageProblem.None;
}

/** Bytes of linear memory the module uses (its static data): the bootloader's buffer must hold them. */
export function boot_memory_needed(): usize {
  return __heap_base;
}

export function boot_checked(): i32 {
  return checked;
}

// ---- The verifier driven directly, as the agent's export of the same name (docs/abi.md):
// the differential and RFC 8032 tests hold the C translation to node:crypto through it.

export function io_buffer(): usize {
  return ioBuffer;
}

/** Signature (64 bytes), public key (32) and `len` message bytes at io_buffer(): 1 valid, 0 not, -1 too long. */
export function ed25519_verify(len: u32): i32 {
  const header = ED25519_SIGNATURE_SIZE + ED25519_PUBLIC_KEY_SIZE;
  if (len > <u32>(<usize>IO_SCRATCH_OFFSET - header)) return -1;
  return ed25519Verify(ioBuffer, ioBuffer + ED25519_SIGNATURE_SIZE, ioBuffer + header, len) ? 1 : 0;
}
