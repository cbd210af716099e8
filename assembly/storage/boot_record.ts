// The boot record (format: docs/boot-record.md): which slot is confirmed, which one is on
// trial with how many boots left, and per slot the image's version, size, SHA-256 and
// state. Two copies, each in its own sector(s) at the start of area 0; each copy holds a
// sequence number and a CRC-32, and is written payload first, commit marker last, so a
// write cut anywhere leaves the other copy as the newest valid one ("nothing happened").
// The record is edited in RAM in its wire format, so storing it needs no serialisation.
import { Area } from "../abi";
import { SHA256_DIGEST_SIZE } from "../crypto/sha256";
import { areaErasedValue, areaLoad, areaSize, flashErase, flashRead, flashWrite, isSlot, otherSlot } from "./areas";
import { RECORD_BYTES, RECORD_MARKER_BYTES, bootAreaLoad, recordCopySpan, writeSpan } from "./boot_area";
import { crc32 } from "./crc32";
import { slotMeasure } from "./image_check";
import { SIZE_UNKNOWN } from "./slot_writer";
import { StorageStatus } from "./status";

export const enum SlotState {
  Empty = 0,
  Confirmed = 1,
  Trial = 2,
  Failed = 3,
}

/** Why a slot is Failed (slot entry byte 2; 0 in records written before it existed). */
export const enum FailureCause {
  /** A trial never confirmed healthy, or an image that did not match its record. */
  NotConfirmed = 0,
  /** The bootloader's image check refused it; byte 3 holds why (an ImageProblem, or the check's own code). */
  RefusedByBootloader = 1,
}

/** `trial` when no slot is on trial; also "no slot" in a boot decision. */
export const NO_SLOT: i32 = 0;
export const VERSION_MAX_BYTES: u32 = 64;

// Wire layout, little-endian (docs/boot-record.md).
const RECORD_MAGIC: u32 = 0x5241544f; // "OTAR"
const COMMIT_MAGIC: u32 = 0x4341544f; // "OTAC"
const FORMAT_VERSION: u8 = 1;
const MAGIC: usize = 0;
const FORMAT: usize = 4;
const ACTIVE: usize = 5;
const TRIAL: usize = 6;
const ATTEMPTS: usize = 7;
const BOOTED: usize = 8;
const SEQUENCE: usize = 12;
const SLOTS: usize = 16;
const ENTRY_SIZE: usize = 104;
const ENTRY_STATE: usize = 0;
const ENTRY_VERSION_LENGTH: usize = 1;
const ENTRY_FAILURE_CAUSE: usize = 2;
const ENTRY_IMAGE_PROBLEM: usize = 3;
const ENTRY_IMAGE_SIZE: usize = 4;
const ENTRY_DIGEST: usize = 8;
const ENTRY_VERSION: usize = 40;
const CRC: usize = SLOTS + 2 * ENTRY_SIZE; // 224; RECORD_BYTES = CRC + 4
// The commit marker (RECORD_MARKER_BYTES): commit magic, then the CRC again.

// Largest copy: payload and marker each padded to a 32-byte write unit.
const COPY_MAX: i32 = 256 + 32;
/** The record being read or edited, followed by its padding and commit marker. */
const record = memory.data(COPY_MAX, 8);
const probe = memory.data(COPY_MAX, 8);

const factoryDigest = memory.data(<i32>SHA256_DIGEST_SIZE);

let currentCopy: i32 = -1;
let currentSequence: u32 = 0;

function payloadSpan(): u32 {
  return writeSpan(RECORD_BYTES);
}

function markerSpan(): u32 {
  return writeSpan(RECORD_MARKER_BYTES);
}

// ---- Reading

/** 1 when the copy at `buffer` is committed, intact and well-formed, else 0. */
function copyIsValid(buffer: usize): i32 {
  const marker = buffer + payloadSpan();
  const crc = load<u32>(buffer + CRC);
  if (load<u32>(marker) != COMMIT_MAGIC || load<u32>(marker + 4) != crc) return 0;
  if (crc32(buffer, CRC) != crc) return 0;
  if (load<u32>(buffer + MAGIC) != RECORD_MAGIC || load<u8>(buffer + FORMAT) != FORMAT_VERSION) return 0;
  const active = <i32>load<u8>(buffer + ACTIVE);
  const trial = <i32>load<u8>(buffer + TRIAL);
  if (!isSlot(active) || (trial != NO_SLOT && !isSlot(trial)) || trial == active) return 0;
  if (load<u8>(buffer + BOOTED) > 1) return 0;
  for (let slot = Area.SlotA; slot <= Area.SlotB; slot++) {
    const entry = buffer + SLOTS + <usize>(slot - 1) * ENTRY_SIZE;
    if (load<u8>(entry + ENTRY_STATE) > <u8>SlotState.Failed) return 0;
    if (<u32>load<u8>(entry + ENTRY_VERSION_LENGTH) > VERSION_MAX_BYTES) return 0;
  }
  return 1;
}

/** Reads copy `copy` into `buffer`: 1 valid, 0 not, or a negative StorageStatus. */
function readCopy(copy: i32, buffer: usize): i32 {
  const span = payloadSpan() + markerSpan();
  const status = flashRead(Area.BootRecord, <u32>copy * recordCopySpan(), buffer, span);
  if (status != StorageStatus.Ok) return status;
  return copyIsValid(buffer);
}

/** Sequence numbers compare modulo 2^32, so counting past 0xFFFFFFFF keeps the order. */
function isNewer(a: u32, b: u32): bool {
  return <i32>(a - b) > 0;
}

/** Fills the RAM record as "no record": slot A active, nothing known about either slot. */
function clearRecord(): void {
  memory.fill(record, 0, <usize>COPY_MAX);
  store<u32>(record + MAGIC, RECORD_MAGIC);
  store<u8>(record + FORMAT, FORMAT_VERSION);
  store<u8>(record + ACTIVE, <u8>Area.SlotA);
}

/**
 * Reads both copies and keeps the valid one with the higher sequence (copy 0 on a tie)
 * in RAM. Returns Ok, NoRecord (the RAM record is then the empty default), or an error.
 */
export function bootRecordLoad(): StorageStatus {
  currentCopy = -1;
  const area = bootAreaLoad();
  if (area != StorageStatus.Ok) return area;
  const first = readCopy(0, record);
  if (first < 0) return <StorageStatus>first;
  const second = readCopy(1, probe);
  if (second < 0) return <StorageStatus>second;
  const firstSequence = load<u32>(record + SEQUENCE);
  const secondSequence = load<u32>(probe + SEQUENCE);
  if (second == 1 && (first == 0 || isNewer(secondSequence, firstSequence))) {
    memory.copy(record, probe, <usize>COPY_MAX);
    currentCopy = 1;
  } else if (first == 1) {
    currentCopy = 0;
  } else {
    clearRecord();
    return StorageStatus.NoRecord;
  }
  currentSequence = load<u32>(record + SEQUENCE);
  return StorageStatus.Ok;
}

// ---- Writing

/**
 * Writes the RAM record as the next sequence into the copy that does not hold the
 * current record: erase that copy, program the payload, then the commit marker, then
 * read it all back. Until the marker is complete that copy is invalid and the current
 * one still wins.
 */
export function bootRecordStore(): StorageStatus {
  const area = bootAreaLoad();
  if (area != StorageStatus.Ok) return area;
  const target = currentCopy == 0 ? 1 : 0;
  const sequence = currentCopy < 0 ? 1 : currentSequence + 1;
  const payload = payloadSpan();
  const marker = markerSpan();
  const erased = areaErasedValue(Area.BootRecord);
  store<u32>(record + MAGIC, RECORD_MAGIC);
  store<u8>(record + FORMAT, FORMAT_VERSION);
  store<u32>(record + SEQUENCE, sequence);
  const crc = crc32(record, CRC);
  store<u32>(record + CRC, crc);
  memory.fill(record + RECORD_BYTES, erased, payload - RECORD_BYTES);
  store<u32>(record + payload, COMMIT_MAGIC);
  store<u32>(record + payload + 4, crc);
  memory.fill(record + payload + RECORD_MARKER_BYTES, erased, marker - RECORD_MARKER_BYTES);

  const base = <u32>target * recordCopySpan();
  let status = flashErase(Area.BootRecord, base, recordCopySpan());
  if (status != StorageStatus.Ok) return status;
  status = flashWrite(Area.BootRecord, base, record, payload);
  if (status != StorageStatus.Ok) return status;
  status = flashWrite(Area.BootRecord, base + payload, record + payload, marker);
  if (status != StorageStatus.Ok) return status;
  status = flashRead(Area.BootRecord, base, probe, payload + marker);
  if (status != StorageStatus.Ok) return status;
  if (memory.compare(probe, record, payload + marker) != 0) return StorageStatus.ReadBackMismatch;
  currentCopy = target;
  currentSequence = sequence;
  return StorageStatus.Ok;
}

// ---- The RAM record (valid after bootRecordLoad)

function entry(slot: i32): usize {
  return record + SLOTS + <usize>(slot - 1) * ENTRY_SIZE;
}

export function bootRecordSequence(): u32 {
  return load<u32>(record + SEQUENCE);
}

/** The slot holding the confirmed image: the one to fall back to. */
export function bootRecordActiveSlot(): i32 {
  return load<u8>(record + ACTIVE);
}

/** The slot on trial, or NO_SLOT. */
export function bootRecordTrialSlot(): i32 {
  return load<u8>(record + TRIAL);
}

/** Boots the trial image has left before the bootloader gives up on it. */
export function bootRecordTrialAttempts(): i32 {
  return load<u8>(record + ATTEMPTS);
}

/** True once the bootloader has started the trial image: the device is running it. */
export function bootRecordTrialBooted(): bool {
  return load<u8>(record + BOOTED) != 0;
}

export function bootRecordSlotState(slot: i32): SlotState {
  return <SlotState>load<u8>(entry(slot) + ENTRY_STATE);
}

export function bootRecordSlotSize(slot: i32): u32 {
  return load<u32>(entry(slot) + ENTRY_IMAGE_SIZE);
}

/** Pointer to the slot's recorded 32-byte SHA-256 (inside the RAM record). */
export function bootRecordSlotDigest(slot: i32): usize {
  return entry(slot) + ENTRY_DIGEST;
}

/** Pointer to the slot's version bytes (UTF-8, `bootRecordSlotVersionLength` long). */
export function bootRecordSlotVersion(slot: i32): usize {
  return entry(slot) + ENTRY_VERSION;
}

export function bootRecordSlotVersionLength(slot: i32): u32 {
  return load<u8>(entry(slot) + ENTRY_VERSION_LENGTH);
}

export function bootRecordSetActive(slot: i32): void {
  store<u8>(record + ACTIVE, <u8>slot);
}

/** Sets the trial slot (NO_SLOT for none), its attempts left and whether it has booted. */
export function bootRecordSetTrial(slot: i32, attempts: i32, booted: bool): void {
  store<u8>(record + TRIAL, <u8>slot);
  store<u8>(record + ATTEMPTS, <u8>attempts);
  store<u8>(record + BOOTED, booted ? 1 : 0);
}

export function bootRecordSetSlotState(slot: i32, state: SlotState): void {
  store<u8>(entry(slot) + ENTRY_STATE, <u8>state);
}

/** Why the slot is Failed (meaningful only when it is). */
export function bootRecordSlotFailureCause(slot: i32): FailureCause {
  return <FailureCause>load<u8>(entry(slot) + ENTRY_FAILURE_CAUSE);
}

/** The image check's refusal code of a slot Failed with RefusedByBootloader. */
export function bootRecordSlotImageProblem(slot: i32): i32 {
  return load<u8>(entry(slot) + ENTRY_IMAGE_PROBLEM);
}

/** Marks the slot Failed, with `refusal` the image check's code (0: not confirmed / no match). */
export function bootRecordSetSlotFailed(slot: i32, refusal: i32): void {
  const at = entry(slot);
  store<u8>(at + ENTRY_STATE, <u8>SlotState.Failed);
  store<u8>(at + ENTRY_FAILURE_CAUSE, <u8>(refusal != 0 ? FailureCause.RefusedByBootloader : FailureCause.NotConfirmed));
  store<u8>(at + ENTRY_IMAGE_PROBLEM, <u8>min(refusal, 0xff));
}

/** Records an image in a slot. `digest` is 32 bytes, or 0 for all zero. */
function setSlotImage(slot: i32, state: SlotState, size: u32, digest: usize, version: usize, versionLength: u32): void {
  const at = entry(slot);
  memory.fill(at, 0, ENTRY_SIZE);
  store<u8>(at + ENTRY_STATE, <u8>state);
  store<u32>(at + ENTRY_IMAGE_SIZE, size);
  if (digest != 0) memory.copy(at + ENTRY_DIGEST, digest, SHA256_DIGEST_SIZE);
  store<u8>(at + ENTRY_VERSION_LENGTH, <u8>versionLength);
  memory.copy(at + ENTRY_VERSION, version, versionLength);
}

// ---- What the update state machine does with it (each is one load, edit, store)

/**
 * The slot an update may be written into: the one that is neither the confirmed image
 * nor a trial image the device is running. NO_SLOT while a booted trial awaits its
 * verdict. Call after bootRecordLoad (with NoRecord the factory slot A is running: B).
 */
export function bootRecordWritableSlot(): i32 {
  if (currentCopy >= 0 && bootRecordTrialBooted()) return NO_SLOT;
  return otherSlot(bootRecordActiveSlot());
}

/**
 * Creates the first record on a device that has none: slot A confirmed, measured over its
 * first `imageSize` bytes (SIZE_UNKNOWN: the whole slot), so that the bootloader can later
 * check it like any other image. Does nothing when a valid record exists.
 */
export function bootRecordInitFactory(imageSize: u32, version: usize, versionLength: u32): StorageStatus {
  if (versionLength > VERSION_MAX_BYTES) return StorageStatus.VersionTooLong;
  const loaded = bootRecordLoad();
  if (loaded != StorageStatus.NoRecord) return loaded;
  const slotArea = areaLoad(Area.SlotA);
  if (slotArea != StorageStatus.Ok) return slotArea;
  const size = imageSize == SIZE_UNKNOWN ? areaSize(Area.SlotA) : imageSize;
  if (size == 0) return StorageStatus.SizeMismatch;
  if (size > areaSize(Area.SlotA)) return StorageStatus.ImageTooLarge;
  const measured = slotMeasure(Area.SlotA, size, factoryDigest);
  if (measured != StorageStatus.Ok) return measured;
  setSlotImage(Area.SlotA, SlotState.Confirmed, size, factoryDigest, version, versionLength);
  bootRecordSetActive(Area.SlotA);
  return bootRecordStore();
}

/**
 * Before the first byte of an update is written into `slot`: record that the slot holds
 * no image any more (and is no longer on trial). Refuses the confirmed slot and a trial
 * slot that is running. Writes nothing when the record already says so (wear).
 */
export function bootRecordPrepareSlot(slot: i32): StorageStatus {
  if (!isSlot(slot)) return StorageStatus.NotASlot;
  const loaded = bootRecordLoad();
  if (loaded != StorageStatus.Ok) return loaded;
  if (slot != bootRecordWritableSlot()) return StorageStatus.SlotInUse;
  const isTrial = bootRecordTrialSlot() == slot;
  if (!isTrial && bootRecordSlotState(slot) == SlotState.Empty && bootRecordSlotSize(slot) == 0) {
    return StorageStatus.Ok;
  }
  if (isTrial) bootRecordSetTrial(NO_SLOT, 0, false);
  setSlotImage(slot, SlotState.Empty, 0, 0, 0, 0);
  return bootRecordStore();
}

/**
 * The image in `slot` is complete and verified: make it the trial image with `attempts`
 * boots (1..255). The bootloader boots it on the next reset.
 */
export function bootRecordArmTrial(
  slot: i32, size: u32, digest: usize, version: usize, versionLength: u32, attempts: i32,
): StorageStatus {
  if (!isSlot(slot)) return StorageStatus.NotASlot;
  if (versionLength > VERSION_MAX_BYTES) return StorageStatus.VersionTooLong;
  if (attempts < 1 || attempts > 255) return StorageStatus.AttemptsInvalid;
  const loaded = bootRecordLoad();
  if (loaded != StorageStatus.Ok) return loaded;
  if (slot != bootRecordWritableSlot()) return StorageStatus.SlotInUse;
  setSlotImage(slot, SlotState.Trial, size, digest, version, versionLength);
  bootRecordSetTrial(slot, attempts, false);
  return bootRecordStore();
}

/** The running trial image is healthy: it becomes the confirmed, active image. */
export function bootRecordConfirm(): StorageStatus {
  const loaded = bootRecordLoad();
  if (loaded != StorageStatus.Ok) return loaded == StorageStatus.NoRecord ? StorageStatus.NotInTrial : loaded;
  const trial = bootRecordTrialSlot();
  if (trial == NO_SLOT || !bootRecordTrialBooted()) return StorageStatus.NotInTrial;
  bootRecordSetSlotState(trial, SlotState.Confirmed);
  bootRecordSetActive(trial);
  bootRecordSetTrial(NO_SLOT, 0, false);
  return bootRecordStore();
}
