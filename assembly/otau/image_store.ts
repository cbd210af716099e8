// What the engine needs of flash, in the engine's terms: an image streamed into the
// writable slot file by file, progress that survives a reset, the trial boot and its
// confirmation. Built on storage/ (slot writer, boot record, journal); every function
// returns 0 or a negative StorageStatus.
import { SHA256_CONTEXT_SIZE } from "../crypto/sha256";
import {
  Cloud, VERSION_BLOCK_SIZE, VERSION_CAPACITY, fingerprint, setCloud, setVersionLength, versionLength, versionPtr,
} from "../manifest/update_request";
import { Area, Setting } from "../abi";
import { alignUp, areaLoad, areaSectorSize, areaSize, areaWriteAlign } from "../storage/areas";
import {
  FailureCause, NO_SLOT, SlotState, bootRecordArmTrial, bootRecordConfirm, bootRecordInitFactory, bootRecordLoad,
  bootRecordActiveSlot, bootRecordPrepareSlot, bootRecordSlotDigest, bootRecordSlotFailureCause, bootRecordSlotImageProblem, bootRecordSlotState, bootRecordSlotVersion,
  bootRecordSlotVersionLength,
  bootRecordTrialBooted, bootRecordTrialSlot, bootRecordWritableSlot, bootRecordTrialAttempts,
} from "../storage/boot_record";
import {
  journalClear, journalFileIndex, journalFileStart, journalLoad, journalMatches, journalRecord, journalRecordRollbackReported,
  journalRollbackReported, journalVerifiedLength,
} from "../storage/journal";
import {
  SIZE_UNKNOWN, slotWriterBegin, slotWriterDigest, slotWriterDurableLength, slotWriterEndFile, slotWriterFileDigestSoFar,
  slotWriterFinish, slotWriterOffset, slotWriterWrite,
} from "../storage/slot_writer";
import { StorageStatus, storageStatusName } from "../storage/status";
import { setting } from "./settings";
import { Text } from "../text";

export const enum BootOutcome {
  /** Running the confirmed image. */
  Normal = 0,
  /** Running a new image on trial: it must call on_healthy(). */
  OnTrial = 1,
  /** The last trial image never confirmed; the bootloader went back to the confirmed one. */
  RolledBack = 2,
}

const installed = memory.data(<i32>VERSION_BLOCK_SIZE, 8);
const failedVersion = memory.data(<i32>VERSION_BLOCK_SIZE, 8);
let writableSlot: i32 = Area.SlotB;
let runningSlot: i32 = Area.SlotA;
/** The slot whose image failed its trial (NO_SLOT: none), until an update reuses it. */
let failedSlot: i32 = NO_SLOT;
/** Why the bootloader's image check refused the failed slot's image (0: it did not; the trial was not confirmed). */
let failedRefusal: i32 = 0;

const hashContext = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const identity = memory.data(32);
let journalSavedAt: u32 = 0;
/** How often progress is saved: a journal entry per this many durable bytes. */
const JOURNAL_STEP: u32 = 16 * 1024;

function copyVersion(into: usize, slot: i32): void {
  const len = <i32>min<u32>(bootRecordSlotVersionLength(slot), <u32>VERSION_CAPACITY);
  memory.copy(versionPtr(into), bootRecordSlotVersion(slot), len);
  setVersionLength(into, len);
}

/**
 * Reads the boot record at start-up. `ownVersion` is the running firmware's version (from
 * the host); it names the factory image when the device has no record yet.
 */
export function storeBoot(ownVersion: usize, ownVersionLength: i32): i32 {
  const cloud = <Cloud>setting(Setting.Cloud);
  setCloud(installed, cloud);
  setCloud(failedVersion, cloud);
  const factorySize = setting(Setting.FactoryImageSize);
  let status = bootRecordInitFactory(factorySize == 0 ? SIZE_UNKNOWN : factorySize, ownVersion, <u32>ownVersionLength);
  if (status != StorageStatus.Ok) return status;
  return loadSlots();
}

/** Reads from the boot record which slot runs, which one an update may use and what is installed. */
function loadSlots(): i32 {
  const status = bootRecordLoad();
  if (status != StorageStatus.Ok) return status;
  runningSlot = bootRecordTrialBooted() ? bootRecordTrialSlot() : bootRecordActiveSlot();
  writableSlot = bootRecordWritableSlot();
  copyVersion(installed, bootRecordActiveSlot());
  setVersionLength(failedVersion, 0);
  const other = runningSlot == Area.SlotA ? Area.SlotB : Area.SlotA;
  failedSlot = bootRecordSlotState(other) == SlotState.Failed ? other : NO_SLOT;
  failedRefusal = 0;
  if (failedSlot != NO_SLOT) {
    copyVersion(failedVersion, failedSlot);
    if (bootRecordSlotFailureCause(failedSlot) == FailureCause.RefusedByBootloader) failedRefusal = bootRecordSlotImageProblem(failedSlot);
  }
  return StorageStatus.Ok;
}

export function bootOutcome(): BootOutcome {
  if (bootRecordTrialBooted()) return BootOutcome.OnTrial;
  return failedSlot != NO_SLOT && !rollbackReported() ? BootOutcome.RolledBack : BootOutcome.Normal;
}

/**
 * The failed slot stays Failed until the next update reuses it, so without a mark in the
 * journal (keyed by the failed image's recorded digest) every boot until then would report
 * the rollback again.
 */
function rollbackReported(): bool {
  return journalLoad() == StorageStatus.Ok && journalRollbackReported(bootRecordSlotDigest(failedSlot));
}

/** After the rollback's reports: later boots report only the installed version. */
export function noteRollbackReported(): i32 {
  return journalRecordRollbackReported(bootRecordSlotDigest(failedSlot));
}

/** The confirmed version as a request header (cloud and version), for reports. */
export function installedRequestVersion(): usize { return installed; }
/** The version that failed its trial (empty when none), as a request header. */
export function failedRequestVersion(): usize { return failedVersion; }
/** Why the bootloader refused the failed image (an ImageProblem or its check's own code), 0 when it did not. */
export function failedImageRefusal(): i32 { return failedRefusal; }
/** The trial version (on trial) into `req`'s header. */
export function loadTrialVersion(req: usize): void { copyVersion(req, bootRecordTrialSlot()); }
export function trialAttemptsLeft(): i32 { return bootRecordTrialAttempts(); }

export function isFailedVersion(req: usize): bool {
  const len = versionLength(failedVersion);
  return len > 0 && len == versionLength(req) && memory.compare(versionPtr(failedVersion), versionPtr(req), len) == 0;
}

function slotName(slot: i32): string { return slot == Area.SlotA ? "A" : "B"; }
export function inactiveSlotName(): string { return slotName(writableSlot); }
export function runningSlotName(): string { return slotName(runningSlot); }
/** The area an update writes (1 A, 2 B; 0 none) and the one running. */
export function writableSlotArea(): i32 { return writableSlot; }
export function runningSlotArea(): i32 { return runningSlot; }

export function slotCapacity(): u32 {
  if (writableSlot == NO_SLOT || areaLoad(writableSlot) != StorageStatus.Ok) return 0;
  return areaSize(writableSlot);
}

// ---- The image

export function imageBegin(req: usize): i32 {
  if (writableSlot == NO_SLOT) return StorageStatus.SlotInUse;
  const prepared = bootRecordPrepareSlot(writableSlot);
  if (prepared != StorageStatus.Ok) return prepared;
  fingerprint(req, identity, hashContext);
  journalSavedAt = 0;
  return slotWriterBegin(writableSlot, SIZE_UNKNOWN, 0, 0);
}

export function imageWrite(ptr: usize, len: u32): i32 {
  return slotWriterWrite(ptr, len);
}

/** Bytes of the image so far: where the next byte goes. */
export function imageLength(): u32 {
  return slotWriterOffset();
}

/**
 * Discards what was written from `fileStart` on. The writer may only be able to go back
 * to the start of a sector; the caller compares imageLength() with what it asked for.
 */
export function imageRewind(fileStart: u32): i32 {
  return slotWriterBegin(writableSlot, SIZE_UNKNOWN, 0, fileStart, fileStart);
}

/** Saves progress every JOURNAL_STEP durable bytes (a journal entry, not an erase). */
export function noteProgress(req: usize, fileIndex: i32, fileStart: u32): void {
  const durable = slotWriterDurableLength();
  if (durable < journalSavedAt + JOURNAL_STEP) return;
  if (journalRecord(identity, <u32>fileIndex, durable, fileStart) == StorageStatus.Ok) journalSavedAt = durable;
}

/** Bytes of the slot a file of `length` bytes takes when another file follows it (see imageEndFile). */
export function fileSpan(length: u64): u64 {
  const sector = <u64>areaSectorSize(writableSlot);
  return sector == 0 ? length : (length + sector - 1) / sector * sector;
}

/**
 * Ends file data at `fileStart + length` and writes the file's SHA-256, as read back from
 * flash while it was written, to `digest`. The next file starts at imageLength(): when
 * `moreFiles`, the next sector boundary, so that a later file can be written again (after a
 * bad digest, or a server ignoring Range) without erasing the end of the one before it.
 */
export function imageEndFile(fileStart: u32, length: u32, digest: usize, moreFiles: bool): i32 {
  const next = moreFiles
    ? fileStart + <u32>min<u64>(fileSpan(length), <u64>(areaSize(writableSlot) - fileStart))
    : alignUp(fileStart + length, areaWriteAlign(writableSlot));
  return slotWriterEndFile(next, digest);
}

/** The SHA-256 the current file would have if it ended now, into `digest` (nothing is written). */
export function imageFileDigestSoFar(digest: usize): void {
  slotWriterFileDigestSoFar(digest);
}

/** Seals the image; `digest` receives the SHA-256 of the whole slot image. */
export function imageFinish(digest: usize): i32 {
  const finished = slotWriterFinish();
  if (finished != StorageStatus.Ok) return finished;
  memory.copy(digest, slotWriterDigest(), 32);
  return StorageStatus.Ok;
}

export function markTrial(req: usize, digest: usize): i32 {
  return bootRecordArmTrial(
    writableSlot, slotWriterOffset(), digest, versionPtr(req), <u32>versionLength(req), <i32>setting(Setting.TrialBoots),
  );
}

/** Confirms the running trial image: it becomes the installed one and the old slot is free for the next update. */
export function confirmTrial(): i32 {
  const status = bootRecordConfirm();
  if (status != StorageStatus.Ok) return status;
  return loadSlots();
}

// ---- Resume after a reset

export function resumeOffered(req: usize): bool {
  if (journalLoad() != StorageStatus.Ok) return false;
  fingerprint(req, identity, hashContext);
  return journalMatches(identity);
}

export function resumeFileIndex(): i32 { return <i32>journalFileIndex(); }
export function resumeFileStart(): u32 { return journalFileStart(); }

/** Re-reads and re-hashes what the slot already holds; fails when it is before the file's start. */
export function imageResume(req: usize): i32 {
  fingerprint(req, identity, hashContext);
  const status = slotWriterBegin(writableSlot, SIZE_UNKNOWN, 0, journalVerifiedLength(), journalFileStart());
  if (status != StorageStatus.Ok) return status;
  journalSavedAt = slotWriterDurableLength();
  return slotWriterOffset() < journalFileStart() ? StorageStatus.ResumeBeyondSize : StorageStatus.Ok;
}

export function clearProgress(): void {
  if (journalLoad() == StorageStatus.Ok) journalClear();
}

export function storageErrorText(code: i32): Text {
  return storageStatusName(<StorageStatus>code);
}
