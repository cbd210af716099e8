// The progress journal: how far the update being downloaded has got, kept across resets
// so the download resumes (HTTP Range) instead of starting over. It lives in area 0 after
// the two boot-record copies (docs/boot-record.md) and is append-only: each entry is a
// small record of its own (payload with CRC-32 first, commit marker last), so saving
// progress costs one entry, not an erase. Pages (groups of sectors, at least two) are
// filled in turn; moving on erases the next page, which only holds older entries.
// The newest committed entry (highest sequence, wrap-safe) is the journal's state.
import { Area } from "../abi";
import { areaErasedValue, flashErase, flashRead, flashWrite } from "./areas";
import {
  JOURNAL_ENTRY_BYTES, JOURNAL_MARKER_BYTES, bootAreaLoad, journalPageCount, journalPageSpan,
  journalSlotSpan, journalStart, writeSpan,
} from "./boot_area";
import { crc32 } from "./crc32";
import { StorageStatus } from "./status";

/** Bytes of the update fingerprint the caller supplies (e.g. SHA-256 of the config's identity). */
export const FINGERPRINT_SIZE: u32 = 32;

const ENTRY_COMMIT_MAGIC: u32 = 0x4a41544f; // "OTAJ"
const SEQUENCE: usize = 0;
const FILE_INDEX: usize = 4;
const VERIFIED_LENGTH: usize = 8;
const FILE_START: usize = 12;
const FINGERPRINT: usize = 16;
const CRC: usize = FINGERPRINT + <usize>FINGERPRINT_SIZE; // 48; JOURNAL_ENTRY_BYTES = CRC + 4

// Largest slot: 64 bytes of payload and a 32-byte marker unit.
const SLOT_MAX: i32 = 96;
const latest = memory.data(SLOT_MAX, 8);
const entry = memory.data(SLOT_MAX, 8);
const probe = memory.data(SLOT_MAX, 8);

function payloadSpan(): u32 {
  return writeSpan(JOURNAL_ENTRY_BYTES);
}

function slotsPerPage(): u32 {
  return journalPageSpan() / journalSlotSpan();
}

function slotOffset(page: u32, slot: u32): u32 {
  return journalStart() + page * journalPageSpan() + slot * journalSlotSpan();
}

function isCommitted(buffer: usize): bool {
  const marker = buffer + payloadSpan();
  const crc = load<u32>(buffer + CRC);
  return load<u32>(marker) == ENTRY_COMMIT_MAGIC && load<u32>(marker + 4) == crc && crc32(buffer, CRC) == crc;
}

function isErased(buffer: usize, len: u32): bool {
  const erased = areaErasedValue(Area.BootRecord);
  for (let i: u32 = 0; i < len; i++) {
    if (load<u8>(buffer + i) != erased) return false;
  }
  return true;
}

// The scan's result: the newest entry (copied into `latest`) and where to append.
let found = false;
let appendPage: u32 = 0;
let appendSlot: u32 = 0;
let appendNeedsErase = false;

/** Reads every journal slot once: finds the newest committed entry and the append point. */
function scan(): StorageStatus {
  const area = bootAreaLoad();
  if (area != StorageStatus.Ok) return area;
  found = false;
  let newestPage: u32 = 0;
  let newestUsedEnd: u32 = 0;
  const pages = journalPageCount();
  const slots = slotsPerPage();
  const span = journalSlotSpan();
  for (let page: u32 = 0; page < pages; page++) {
    let usedEnd: u32 = 0; // one past the last slot of this page that is not erased
    let newestHere = false;
    for (let slot: u32 = 0; slot < slots; slot++) {
      const status = flashRead(Area.BootRecord, slotOffset(page, slot), probe, span);
      if (status != StorageStatus.Ok) return status;
      if (isErased(probe, span)) continue;
      usedEnd = slot + 1;
      if (!isCommitted(probe)) continue;
      const sequence = load<u32>(probe + SEQUENCE);
      if (!found || <i32>(sequence - load<u32>(latest + SEQUENCE)) > 0) {
        memory.copy(latest, probe, span);
        found = true;
        newestHere = true;
        newestPage = page;
      }
    }
    if (newestHere) newestUsedEnd = usedEnd;
  }
  if (!found) {
    appendPage = 0;
    appendSlot = 0;
    appendNeedsErase = true;
  } else if (newestUsedEnd < slots) {
    appendPage = newestPage;
    appendSlot = newestUsedEnd;
    appendNeedsErase = false;
  } else {
    appendPage = (newestPage + 1) % pages;
    appendSlot = 0;
    appendNeedsErase = true;
  }
  return StorageStatus.Ok;
}

/** Appends an entry unless the newest one already says the same (saves wear). */
function append(fingerprint: usize, fileIndex: u32, verifiedLength: u32, fileStart: u32): StorageStatus {
  const scanned = scan();
  if (scanned != StorageStatus.Ok) return scanned;
  memory.fill(entry, 0, <usize>SLOT_MAX);
  store<u32>(entry + FILE_INDEX, fileIndex);
  store<u32>(entry + VERIFIED_LENGTH, verifiedLength);
  store<u32>(entry + FILE_START, fileStart);
  if (fingerprint != 0) memory.copy(entry + FINGERPRINT, fingerprint, FINGERPRINT_SIZE);
  if (found && memory.compare(entry + FILE_INDEX, latest + FILE_INDEX, CRC - FILE_INDEX) == 0) {
    return StorageStatus.Ok;
  }
  const sequence = found ? load<u32>(latest + SEQUENCE) + 1 : 1;
  store<u32>(entry + SEQUENCE, sequence);
  const crc = crc32(entry, CRC);
  store<u32>(entry + CRC, crc);
  const payload = payloadSpan();
  const span = journalSlotSpan();
  const erased = areaErasedValue(Area.BootRecord);
  memory.fill(entry + JOURNAL_ENTRY_BYTES, erased, payload - JOURNAL_ENTRY_BYTES);
  store<u32>(entry + payload, ENTRY_COMMIT_MAGIC);
  store<u32>(entry + payload + 4, crc);
  memory.fill(entry + payload + JOURNAL_MARKER_BYTES, erased, span - payload - JOURNAL_MARKER_BYTES);

  if (appendNeedsErase) {
    const status = flashErase(Area.BootRecord, slotOffset(appendPage, 0), journalPageSpan());
    if (status != StorageStatus.Ok) return status;
  }
  const at = slotOffset(appendPage, appendSlot);
  let status = flashWrite(Area.BootRecord, at, entry, payload);
  if (status != StorageStatus.Ok) return status;
  status = flashWrite(Area.BootRecord, at + payload, entry + payload, span - payload);
  if (status != StorageStatus.Ok) return status;
  status = flashRead(Area.BootRecord, at, probe, span);
  if (status != StorageStatus.Ok) return status;
  if (memory.compare(probe, entry, span) != 0) return StorageStatus.ReadBackMismatch;
  memory.copy(latest, entry, span);
  found = true;
  return StorageStatus.Ok;
}

/**
 * Saves progress: the update identified by the 32-byte `fingerprint` has `verifiedLength`
 * bytes of the slot in flash and verified, up to file `fileIndex`, which starts at
 * `fileStart` in the slot. Save a length only once it is durable (slotWriterDurableLength).
 */
export function journalRecord(fingerprint: usize, fileIndex: u32, verifiedLength: u32, fileStart: u32): StorageStatus {
  return append(fingerprint, fileIndex, verifiedLength, fileStart);
}

/**
 * The file index that marks an entry as "the rollback of the image with this fingerprint
 * has been reported" rather than progress: real file indices are far below it.
 */
const ROLLBACK_REPORTED: u32 = 0xffffffff;

/** Notes that the rollback of the image whose 32-byte digest is `fingerprint` has been reported. */
export function journalRecordRollbackReported(fingerprint: usize): StorageStatus {
  return append(fingerprint, ROLLBACK_REPORTED, 0, 0);
}

/** After journalLoad returned Ok: true when the newest entry notes this image's rollback as reported. */
export function journalRollbackReported(fingerprint: usize): bool {
  return journalFileIndex() == ROLLBACK_REPORTED && journalMatches(fingerprint);
}

/** No update in progress any more (an all-zero entry). */
export function journalClear(): StorageStatus {
  return append(0, 0, 0, 0);
}

/**
 * Reads the newest entry. Ok: the getters below describe it. NoProgress: the journal is
 * empty or cleared. Otherwise a flash or geometry error.
 */
export function journalLoad(): StorageStatus {
  const scanned = scan();
  if (scanned != StorageStatus.Ok) return scanned;
  if (!found || isCleared()) return StorageStatus.NoProgress;
  return StorageStatus.Ok;
}

function isCleared(): bool {
  for (let at = FILE_INDEX; at < CRC; at++) {
    if (load<u8>(latest + at) != 0) return false;
  }
  return true;
}

export function journalFileIndex(): u32 {
  return load<u32>(latest + FILE_INDEX);
}

export function journalVerifiedLength(): u32 {
  return load<u32>(latest + VERIFIED_LENGTH);
}

/** Where the file being downloaded starts in the slot. */
export function journalFileStart(): u32 {
  return load<u32>(latest + FILE_START);
}

/** True when the journal's update is the one with this 32-byte fingerprint. */
export function journalMatches(fingerprint: usize): bool {
  return found && memory.compare(latest + FINGERPRINT, fingerprint, FINGERPRINT_SIZE) == 0;
}
