// Whether a slot holds the image the boot record says it holds: SHA-256 of the slot's
// first `size` bytes, read from flash, against the recorded digest.
import { SHA256_CONTEXT_SIZE, SHA256_DIGEST_SIZE, sha256Final, sha256Init, sha256Update } from "../crypto/sha256";
import { areaLoad, areaSize, flashRead } from "./areas";
import { StorageStatus } from "./status";

/** The one buffer for reading flash back to check or hash it (here and in the slot writer):
 *  no two such reads are ever in progress at once. */
export const FLASH_CHUNK: u32 = 512;
export const flashChunk = memory.data(<i32>FLASH_CHUNK, 8);
const context = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const measured = memory.data(<i32>SHA256_DIGEST_SIZE);

/**
 * Adds the bytes [from, to) of `area`, as flash holds them, to the hash at `context`, and to
 * the one at `also` when it is not 0 (one read for two hashes).
 */
export function hashFlash(area: i32, from: u32, to: u32, context: usize, also: usize = 0): StorageStatus {
  for (let at = from; at < to; at += FLASH_CHUNK) {
    const n = min(FLASH_CHUNK, to - at);
    const status = flashRead(area, at, flashChunk, n);
    if (status != StorageStatus.Ok) return status;
    sha256Update(context, flashChunk, n);
    if (also != 0) sha256Update(also, flashChunk, n);
  }
  return StorageStatus.Ok;
}

/** Hashes [0, size) of a slot into `out` (32 bytes). */
export function slotMeasure(slot: i32, size: u32, out: usize): StorageStatus {
  const geometry = areaLoad(slot);
  if (geometry != StorageStatus.Ok) return geometry;
  if (size > areaSize(slot)) return StorageStatus.ImageTooLarge;
  sha256Init(context);
  const status = hashFlash(slot, 0, size, context);
  if (status != StorageStatus.Ok) return status;
  sha256Final(context, out);
  return StorageStatus.Ok;
}

/**
 * 1 when the slot's first `size` bytes hash to `digest`, 0 when not (also for an empty
 * image or one larger than the slot: neither can be booted), or a negative StorageStatus.
 */
export function slotImageMatches(slot: i32, size: u32, digest: usize): i32 {
  const geometry = areaLoad(slot);
  if (geometry != StorageStatus.Ok) return geometry;
  if (size == 0 || size > areaSize(slot)) return 0;
  const status = slotMeasure(slot, size, measured);
  if (status != StorageStatus.Ok) return status;
  return memory.compare(measured, digest, SHA256_DIGEST_SIZE) == 0 ? 1 : 0;
}
