// The image's MCUboot header as the first file arrives: its 32 bytes are gathered once per
// file (from the chunks, or after a reset from the slot in flash), so that the checks made on
// it — the whole header on a device with keys (signed_image.ts), the run address without
// (run_address.ts) — run once, before the rest of the image is downloaded.
import { imageHeaderFeed, imageHeaderLoad, imageHeaderReset } from "../image/mcuboot";

let arrived = false;

/** A file starts from its first byte (a new download, or a rewind after a bad transfer). */
export function headerArrivalRestart(): void {
  imageHeaderReset();
  arrived = false;
}

/**
 * A chunk of the first file at `fileOffset` is about to be written to `slot`. True once per
 * file: when this chunk (or, past byte 32 after a reset, flash) completes the header.
 */
export function headerJustArrived(ptr: usize, len: u32, fileOffset: u32, slot: i32): bool {
  if (arrived) return false;
  arrived = fileOffset >= 32 ? imageHeaderLoad(slot) : imageHeaderFeed(ptr, len, fileOffset);
  return arrived;
}

/** Whether the header's 32 bytes came in (a file shorter than that has none). */
export function headerArrived(): bool {
  return arrived;
}
