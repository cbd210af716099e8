// The slot writer: streams an image into a slot (in the manner of Zephyr's stream_flash).
// - Erases each sector just before the first write that needs it, never the whole slot
//   up front, so the old image survives until bytes actually arrive.
// - Buffers at most one write-alignment unit; everything else is programmed straight
//   from the caller's memory. The tail is padded with the area's erased value.
// - Reads back every byte it programmed, checks it, and hashes the READ-BACK bytes, so
//   the digest is the digest of what the bootloader will find, not of what arrived. A
//   second hash covers the current file alone (an image may be several files, each with
//   its own digest). While the current file is the first (it starts at offset 0) its hash
//   is the image's, so only the image is hashed, and the file's hash is a copy of the
//   image's context taken when the file ends (a host's native hash keeps its state in the
//   context bytes, docs/abi.md): every byte is hashed once.
// - A call that fails leaves the writer exactly as it was (its state is one static
//   block, saved on entry and put back on failure) and returns a status naming why.
// - Resume: begin(..., resumeFrom, fileStart) re-reads [0, resume point) to rebuild both
//   hashes, so a download can continue with an HTTP Range request from `slotWriterOffset()`.
import {
  SHA256_CONTEXT_SIZE, SHA256_DIGEST_SIZE, sha256Final, sha256Init, sha256Update,
} from "../crypto/sha256";
import {
  MAX_WRITE_ALIGN, areaErasedValue, areaLoad, areaSectorSize, areaSize, areaWriteAlign,
  flashCheckErased, flashErase, flashRead, flashWrite, isSlot,
} from "./areas";
import { FLASH_CHUNK, flashChunk, hashFlash } from "./image_check";
import { StorageStatus } from "./status";

/** Pass as `expectedSize` when the size is not known in advance (bounded by the slot). */
export const SIZE_UNKNOWN: u32 = 0xffffffff;

@unmanaged class WriterState {
  open: u32;
  area: i32;
  expectedSize: u32;
  /** The most bytes this image may hold: the expected size, or the slot size. */
  limit: u32;
  hasDigest: u32;
  /** Bytes accepted from the caller. */
  written: u32;
  /** Bytes programmed, read back and hashed: a multiple of the write alignment. */
  flushed: u32;
  /** Every sector below this offset has been erased by this writer. */
  erasedUpTo: u32;
  /** Bytes waiting in `pending` for a whole write-alignment unit. */
  pendingLen: u32;
  /** 1 while the current file starts at offset 0: its hash is the image's, `fileHash` unused. */
  fileHashShared: u32;
}

// One static block holds everything a failed call must leave unchanged.
const STATE_SIZE: usize = (offsetof<WriterState>() + 7) & ~7;
const PENDING: usize = STATE_SIZE;
const HASH: usize = PENDING + <usize>MAX_WRITE_ALIGN;
const FILE_HASH: usize = HASH + SHA256_CONTEXT_SIZE;
const BLOCK_SIZE: usize = FILE_HASH + SHA256_CONTEXT_SIZE;
const block = memory.data(<i32>BLOCK_SIZE, 8);
const saved = memory.data(<i32>BLOCK_SIZE, 8);
const state = changetype<WriterState>(block);
const pending = block + PENDING;
const hash = block + HASH;
const fileHash = block + FILE_HASH;

const expectedDigest = memory.data(<i32>SHA256_DIGEST_SIZE);
const digest = memory.data(<i32>SHA256_DIGEST_SIZE);

// Read-back goes through image_check's flash buffer (hashFlash never runs during one).
const READ_BACK_SIZE: u32 = FLASH_CHUNK;
const readBack = flashChunk;

// How far this writer has programmed flash. Not part of the saved block: a call that fails
// half way is undone in RAM, but the bytes it did program stay in flash, and a retry must
// not program them twice.
let programmedEnd: u32 = 0;

/**
 * Opens `slot` (1 = A, 2 = B) for an image of `expectedSize` bytes (or SIZE_UNKNOWN).
 * `expectedDigest` points at 32 bytes of SHA-256, or is 0 when there is none to check.
 * `resumeFrom` is 0 for a fresh image, or a length from the progress journal: the writer
 * resumes at that point rounded down to the write alignment, or at the start of its
 * sector when the rest of that sector is not erased (a write cut short left bytes there).
 * `fileStart` is where the current file began (0 for the first file, and for an image of
 * one file): its hash is rebuilt over [fileStart, resume point).
 * Flash is only read here; the resume point is then `slotWriterOffset()`.
 */
export function slotWriterBegin(
  slot: i32, expectedSize: u32, expectedDigestPtr: usize, resumeFrom: u32, fileStart: u32 = 0,
): StorageStatus {
  state.open = 0;
  if (!isSlot(slot)) return StorageStatus.NotASlot;
  const geometry = areaLoad(slot);
  if (geometry != StorageStatus.Ok) return geometry;
  const slotSize = areaSize(slot);
  if (expectedSize != SIZE_UNKNOWN && expectedSize > slotSize) return StorageStatus.ImageTooLarge;
  const limit = expectedSize == SIZE_UNKNOWN ? slotSize : expectedSize;
  if (resumeFrom > limit) return StorageStatus.ResumeBeyondSize;

  const sector = areaSectorSize(slot);
  let resume = resumeFrom & ~(areaWriteAlign(slot) - 1);
  const sectorStart = resume - resume % sector;
  let erasedUpTo = resume;
  if (resume > sectorStart) {
    const sectorEnd = sectorStart + sector;
    const clean = flashCheckErased(slot, resume, sectorEnd - resume);
    if (clean < 0) return <StorageStatus>clean;
    if (clean == 1) erasedUpTo = sectorEnd;
    else resume = erasedUpTo = sectorStart;
  }

  sha256Init(hash);
  sha256Init(fileHash);
  const fileFrom = min(fileStart, resume);
  const shared = fileFrom == 0;
  let rebuilt = hashFlash(slot, 0, fileFrom, hash);
  if (rebuilt == StorageStatus.Ok) rebuilt = hashFlash(slot, fileFrom, resume, hash, shared ? 0 : fileHash);
  if (rebuilt != StorageStatus.Ok) return rebuilt;

  state.area = slot;
  state.expectedSize = expectedSize;
  state.limit = limit;
  state.hasDigest = expectedDigestPtr != 0 ? 1 : 0;
  if (expectedDigestPtr != 0) memory.copy(expectedDigest, expectedDigestPtr, SHA256_DIGEST_SIZE);
  state.written = resume;
  state.flushed = resume;
  state.erasedUpTo = erasedUpTo;
  state.pendingLen = 0;
  state.fileHashShared = shared ? 1 : 0;
  state.open = 1;
  programmedEnd = resume;
  return StorageStatus.Ok;
}

/**
 * Ends the current file and starts the next one at `nextStart` (at or past the file's end
 * rounded up to the write alignment, in the same sector or the next boundary): programs the
 * file's tail padded with the erased value, writes the file's SHA-256 (of its own bytes, as
 * read back) to `fileDigestOut`, and carries the image hash over the gap up to `nextStart`,
 * read from flash. On failure the writer is as it was before the call.
 */
export function slotWriterEndFile(nextStart: u32, fileDigestOut: usize): StorageStatus {
  if (state.open == 0) return StorageStatus.NoImageOpen;
  const align = areaWriteAlign(state.area);
  const fileEnd = (state.written + align - 1) & ~(align - 1);
  // The pending tail is not programmed yet: the sector it starts is erased when it is.
  let erasedUpTo = state.erasedUpTo;
  if (state.pendingLen > 0) {
    const sector = areaSectorSize(state.area);
    erasedUpTo = max(erasedUpTo, <u32>((<u64>fileEnd + sector - 1) / sector * sector));
  }
  if (nextStart < fileEnd || nextStart > erasedUpTo || nextStart > state.limit) return StorageStatus.SizeExceeded;
  memory.copy(saved, block, BLOCK_SIZE);
  const status = endFile(nextStart, fileDigestOut);
  if (status != StorageStatus.Ok) memory.copy(block, saved, BLOCK_SIZE);
  return status;
}

function endFile(nextStart: u32, fileDigestOut: usize): StorageStatus {
  if (state.fileHashShared != 0) {
    // The first file ends: its hash so far is the image's; the tail and padding part ways.
    memory.copy(fileHash, hash, SHA256_CONTEXT_SIZE);
    state.fileHashShared = 0;
  }
  if (state.pendingLen > 0) {
    const align = areaWriteAlign(state.area);
    const tail = state.pendingLen;
    memory.fill(pending + tail, areaErasedValue(state.area), align - tail);
    // The padding is part of the image (the next file follows it), not of the file.
    const status = program(pending, align, tail, align);
    if (status != StorageStatus.Ok) return status;
    state.pendingLen = 0;
  }
  // Still erased (this writer erased the sector and programmed nothing there): hash what is read.
  const gap = hashFlash(state.area, state.flushed, nextStart, hash);
  if (gap != StorageStatus.Ok) return gap;
  // Nothing can fail from here on, so a failed call never touches `fileDigestOut`.
  sha256Final(fileHash, fileDigestOut);
  sha256Init(fileHash);
  state.written = nextStart;
  state.flushed = nextStart;
  return StorageStatus.Ok;
}

/** Appends `len` bytes at `ptr`. On any failure the writer is as it was before the call. */
export function slotWriterWrite(ptr: usize, len: u32): StorageStatus {
  if (state.open == 0) return StorageStatus.NoImageOpen;
  if (<u64>state.written + <u64>len > <u64>state.limit) return StorageStatus.SizeExceeded;
  memory.copy(saved, block, BLOCK_SIZE);
  const status = append(ptr, len);
  if (status != StorageStatus.Ok) memory.copy(block, saved, BLOCK_SIZE);
  return status;
}

/**
 * Ends the image: checks the size (SizeMismatch leaves the writer open and unchanged, see
 * `slotWriterOffset()` and `slotWriterExpectedSize()`), programs the padded tail, and
 * compares the read-back SHA-256 with the expected one. After Ok or DigestMismatch the
 * writer is closed and `slotWriterDigest()` holds the digest of the slot's bytes.
 */
export function slotWriterFinish(): StorageStatus {
  if (state.open == 0) return StorageStatus.NoImageOpen;
  if (state.expectedSize != SIZE_UNKNOWN && state.written != state.expectedSize) return StorageStatus.SizeMismatch;
  if (state.pendingLen > 0) {
    memory.copy(saved, block, BLOCK_SIZE);
    const align = areaWriteAlign(state.area);
    const tail = state.pendingLen;
    memory.fill(pending + tail, areaErasedValue(state.area), align - tail);
    const status = program(pending, align, tail, tail);
    if (status != StorageStatus.Ok) {
      memory.copy(block, saved, BLOCK_SIZE);
      return status;
    }
    state.pendingLen = 0;
  }
  sha256Final(hash, digest);
  state.open = 0;
  if (state.hasDigest != 0 && memory.compare(digest, expectedDigest, SHA256_DIGEST_SIZE) != 0) {
    return StorageStatus.DigestMismatch;
  }
  return StorageStatus.Ok;
}

export function slotWriterIsOpen(): bool {
  return state.open != 0;
}

/** Bytes of the image accepted so far: where the download continues. */
export function slotWriterOffset(): u32 {
  return state.written;
}

/** Bytes of the image that are in flash and verified: the length to save in the journal. */
export function slotWriterDurableLength(): u32 {
  return min(state.flushed, state.written);
}

export function slotWriterExpectedSize(): u32 {
  return state.expectedSize;
}

const peekHash = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);

/**
 * The SHA-256 the current file would have if it ended now, into `out` (32 bytes): its
 * bytes as read back so far plus the pending tail as it arrived. Touches neither flash nor
 * the writer (it finishes a copy of the file's hash), so a caller can ask whether what
 * arrived is already the whole file. With a host SHA-256 that keeps its state outside the
 * context bytes (docs/abi.md, Accelerators) the copy is not a live hash: the answer is wrong,
 * never a trap, and the file just does not count as complete.
 */
export function slotWriterFileDigestSoFar(out: usize): void {
  memory.fill(out, 0, SHA256_DIGEST_SIZE);
  // A file that starts the image shares the image's hash (`fileHash` is unused then).
  memory.copy(peekHash, state.fileHashShared != 0 ? hash : fileHash, SHA256_CONTEXT_SIZE);
  sha256Update(peekHash, pending, state.pendingLen);
  sha256Final(peekHash, out);
}

/** The 32-byte SHA-256 of the slot's image as read back; valid once finish has hashed it. */
export function slotWriterDigest(): usize {
  return digest;
}

function append(ptr: usize, len: u32): StorageStatus {
  const align = areaWriteAlign(state.area);
  if (state.pendingLen > 0) {
    const take = min(align - state.pendingLen, len);
    memory.copy(pending + state.pendingLen, ptr, take);
    state.pendingLen += take;
    state.written += take;
    ptr += take;
    len -= take;
    if (state.pendingLen < align) return StorageStatus.Ok;
    const status = program(pending, align, align, align);
    if (status != StorageStatus.Ok) return status;
    state.pendingLen = 0;
  }
  const whole = len & ~(align - 1);
  if (whole > 0) {
    const status = program(ptr, whole, whole, whole);
    if (status != StorageStatus.Ok) return status;
    state.written += whole;
    ptr += whole;
    len -= whole;
  }
  memory.copy(pending, ptr, len);
  state.pendingLen = len;
  state.written += len;
  return StorageStatus.Ok;
}

/**
 * Programs `len` bytes (a multiple of the alignment) from `src` at the flushed offset,
 * erasing sectors ahead of need, then reads them back, checks them against `src`, and
 * hashes what was read: the first `fileBytes` into the file's hash, the first `imageBytes`
 * into the image's (the rest is tail padding).
 */
function program(src: usize, len: u32, fileBytes: u32, imageBytes: u32): StorageStatus {
  const area = state.area;
  const at = state.flushed;
  const sector = areaSectorSize(area);
  while (state.erasedUpTo < at + len) {
    const status = flashErase(area, state.erasedUpTo, sector);
    if (status != StorageStatus.Ok) return status;
    state.erasedUpTo += sector;
  }
  // A retry after a failed call: skip the units that call already programmed.
  let done: u32 = 0;
  if (at < programmedEnd) {
    const prefix = matchingPrefix(area, at, src, min(len, programmedEnd - at));
    if (prefix < 0) return <StorageStatus>prefix;
    done = <u32>prefix & ~(areaWriteAlign(area) - 1);
  }
  if (done < len) {
    // Counted as programmed even when the write fails: it may have done part of its work.
    programmedEnd = max(programmedEnd, at + len);
    const status = flashWrite(area, at + done, src + done, len - done);
    if (status != StorageStatus.Ok) return status;
  }
  for (let done: u32 = 0; done < len; done += READ_BACK_SIZE) {
    const n = min(READ_BACK_SIZE, len - done);
    const read = flashRead(area, at + done, readBack, n);
    if (read != StorageStatus.Ok) return read;
    if (!sameBytes(readBack, src + done, n)) return StorageStatus.ReadBackMismatch;
    if (done < imageBytes) sha256Update(hash, readBack, min(n, imageBytes - done));
    if (done < fileBytes && state.fileHashShared == 0) sha256Update(fileHash, readBack, min(n, fileBytes - done));
  }
  state.flushed = at + len;
  return StorageStatus.Ok;
}

/** Whether `n` bytes at `a` and `b` are equal: four at a time (wasm loads need no alignment),
 * as memory.compare is a byte loop in a build optimised for size. */
function sameBytes(a: usize, b: usize, n: u32): bool {
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) if (load<u32>(a + i) != load<u32>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/** How many leading bytes of [at, at+len) in flash already equal `src` (or a negative status). */
function matchingPrefix(area: i32, at: u32, src: usize, len: u32): i64 {
  for (let done: u32 = 0; done < len; done += READ_BACK_SIZE) {
    const n = min(READ_BACK_SIZE, len - done);
    const status = flashRead(area, at + done, readBack, n);
    if (status != StorageStatus.Ok) return <i64>status;
    for (let i: u32 = 0; i < n; i++) {
      if (load<u8>(readBack + i) != load<u8>(src + done + i)) return <i64>(done + i);
    }
  }
  return len;
}
