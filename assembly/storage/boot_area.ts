// Layout of area 0 (docs/boot-record.md "Layout"): boot-record copy 0, copy 1, then the
// progress journal's pages, all in whole sectors so that each part is erased on its own.
// Every size below follows from the area's geometry; the C bootloader computes the same.
import { Area } from "../abi";
import { alignUp, areaLoad, areaSectorSize, areaSize, areaWriteAlign } from "./areas";
import { StorageStatus } from "./status";

/** Boot-record payload bytes (CRC included) and commit-marker bytes, before padding. */
export const RECORD_BYTES: u32 = 228;
export const RECORD_MARKER_BYTES: u32 = 8;
/** Journal entry payload bytes (CRC included) and commit-marker bytes, before padding. */
export const JOURNAL_ENTRY_BYTES: u32 = 52;
export const JOURNAL_MARKER_BYTES: u32 = 8;
/** The journal needs two pages so that one still holds the newest entry while the other is erased. */
const JOURNAL_MIN_PAGES: u32 = 2;

function roundToSectors(bytes: u32): u32 {
  const sector = areaSectorSize(Area.BootRecord);
  return (bytes + sector - 1) / sector * sector;
}

/** A field of `bytes` padded to whole write units (each written by one flash_write). */
export function writeSpan(bytes: u32): u32 {
  return alignUp(bytes, areaWriteAlign(Area.BootRecord));
}

/** Bytes one boot-record copy occupies: whole sectors. */
export function recordCopySpan(): u32 {
  return roundToSectors(writeSpan(RECORD_BYTES) + writeSpan(RECORD_MARKER_BYTES));
}

/** Where the progress journal starts: right after the two copies. */
export function journalStart(): u32 {
  return 2 * recordCopySpan();
}

/** One journal slot: an entry's payload and its marker. */
export function journalSlotSpan(): u32 {
  return writeSpan(JOURNAL_ENTRY_BYTES) + writeSpan(JOURNAL_MARKER_BYTES);
}

/** A journal page: the fewest whole sectors that hold one slot. */
export function journalPageSpan(): u32 {
  return roundToSectors(journalSlotSpan());
}

export function journalPageCount(): u32 {
  const size = areaSize(Area.BootRecord);
  const start = journalStart();
  return start >= size ? 0 : (size - start) / journalPageSpan();
}

/** Loads area 0's geometry and checks that it holds two copies and two journal pages. */
export function bootAreaLoad(): StorageStatus {
  const status = areaLoad(Area.BootRecord);
  if (status != StorageStatus.Ok) return status;
  const size = areaSize(Area.BootRecord);
  // Two copies and two journal pages need at least four sectors (this also keeps the sums
  // below from overflowing).
  if (areaSectorSize(Area.BootRecord) > size / 4) return StorageStatus.BootAreaTooSmall;
  if (journalStart() > size) return StorageStatus.BootAreaTooSmall;
  if (journalPageCount() < JOURNAL_MIN_PAGES) return StorageStatus.BootAreaTooSmall;
  return StorageStatus.Ok;
}
