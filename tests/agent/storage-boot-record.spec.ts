import { SHA256_CONTEXT_SIZE, sha256Final, sha256Init, sha256Update } from "../../assembly/crypto/sha256";
import { Area } from "../../assembly/abi";
import { recordCopySpan } from "../../assembly/storage/boot_area";
import { bootDecide, bootDecisionApply } from "../../assembly/storage/boot_decision";
import {
  NO_SLOT, SlotState, bootRecordActiveSlot, bootRecordArmTrial, bootRecordConfirm, bootRecordInitFactory,
  bootRecordLoad, bootRecordPrepareSlot, bootRecordSequence, bootRecordSlotDigest, bootRecordSlotSize,
  bootRecordSlotState, bootRecordSlotVersion, bootRecordSlotVersionLength, bootRecordTrialAttempts,
  bootRecordTrialBooted, bootRecordTrialSlot, bootRecordWritableSlot,
} from "../../assembly/storage/boot_record";
import { crc32 } from "../../assembly/storage/crc32";
import { SIZE_UNKNOWN } from "../../assembly/storage/slot_writer";
import { StorageStatus } from "../../assembly/storage/status";
import {
  CutKind, fillPattern, flashCut, flashOperations, flashPeek, flashPoke, flashSetup,
} from "./storage-flash";

const image = memory.data(4096, 8);
const context = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const digest = memory.data(32);
const version = memory.data(80);
const copyBytes = memory.data(288, 8);

function setVersion(text: string): u32 {
  return <u32>String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, version);
}

/** Puts `size` pattern bytes at the start of a slot (as a finished download would). */
function placeImage(slot: i32, size: u32, seed: u32): void {
  fillPattern(image, size, seed);
  for (let i: u32 = 0; i < size; i++) flashPoke(slot, i, load<u8>(image + i));
  sha256Init(context);
  sha256Update(context, image, size);
  sha256Final(context, digest);
}

/** A device after its first update was armed: A confirmed (factory), B on trial. */
function armedDevice(attempts: i32): void {
  placeImage(Area.SlotA, 1000, 1);
  expect<i32>(bootRecordInitFactory(1000, version, setVersion("1.0.0"))).toBe(StorageStatus.Ok);
  expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
  placeImage(Area.SlotB, 1200, 2);
  expect<i32>(bootRecordArmTrial(Area.SlotB, 1200, digest, version, setVersion("1.1.0"), attempts)).toBe(StorageStatus.Ok);
}

/** Overwrites a copy's sequence number and re-seals its CRC and commit marker. */
function resequence(copy: i32, sequence: u32): void {
  const base = <u32>copy * recordCopySpan();
  for (let i: u32 = 0; i < 236; i++) store<u8>(copyBytes + i, flashPeek(Area.BootRecord, base + i));
  store<u32>(copyBytes + 12, sequence);
  const crc = crc32(copyBytes, 224);
  store<u32>(copyBytes + 224, crc);
  store<u32>(copyBytes + 232, crc); // marker at 228 (write alignment 4): magic, then CRC
  for (let i: u32 = 0; i < 236; i++) flashPoke(Area.BootRecord, base + i, load<u8>(copyBytes + i));
}

describe("boot record: reading", () => {
  it("has no record on blank flash; the default runs factory slot A and writes B", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.NoRecord);
    expect<i32>(bootRecordActiveSlot()).toBe(Area.SlotA);
    expect<i32>(bootRecordTrialSlot()).toBe(NO_SLOT);
    expect<i32>(bootRecordWritableSlot()).toBe(Area.SlotB);
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.NoRecord);
    expect<i32>(bootRecordConfirm()).toBe(StorageStatus.NotInTrial);
  });

  it("creates the factory record by measuring slot A, once", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    placeImage(Area.SlotA, 1000, 1);
    expect<i32>(bootRecordInitFactory(1000, version, setVersion("1.0.0"))).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(1);
    expect<i32>(bootRecordActiveSlot()).toBe(Area.SlotA);
    expect<i32>(bootRecordSlotState(Area.SlotA)).toBe(SlotState.Confirmed);
    expect<u32>(bootRecordSlotSize(Area.SlotA)).toBe(1000);
    expect<i32>(memory.compare(bootRecordSlotDigest(Area.SlotA), digest, 32)).toBe(0);
    expect<u32>(bootRecordSlotVersionLength(Area.SlotA)).toBe(5);
    expect<i32>(memory.compare(bootRecordSlotVersion(Area.SlotA), version, 5)).toBe(0);
    const operations = flashOperations();
    expect<i32>(bootRecordInitFactory(1000, version, 5)).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(operations, "an existing record is left alone");
  });

  it("measures the whole slot when the factory image size is unknown", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    expect<i32>(bootRecordInitFactory(SIZE_UNKNOWN, version, 0)).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSlotSize(Area.SlotA)).toBe(8192);
  });

  it("refuses a version longer than 64 bytes", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    expect<i32>(bootRecordInitFactory(100, version, 65)).toBe(StorageStatus.VersionTooLong);
    expect<i32>(bootRecordInitFactory(100, version, 64)).toBe(StorageStatus.Ok);
  });
});

describe("boot record: the update's steps", () => {
  it("alternates copies with rising sequence numbers", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    // Factory record (1) and the trial (2); preparing the already empty slot B wrote nothing.
    expect<u32>(bootRecordSequence()).toBe(2);
    expect<u8>(flashPeek(Area.BootRecord, 12)).toBe(1, "sequence 1 is in copy 0");
    expect<u8>(flashPeek(Area.BootRecord, 4096 + 12)).toBe(2, "sequence 2 is in copy 1");
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(3);
    expect<u8>(flashPeek(Area.BootRecord, 12)).toBe(3, "sequence 3 replaced the older copy 0");
  });

  it("arms a trial: slot state, attempts, version, size and digest", () => {
    flashSetup(16384, 4096, 8192, 4096, 8, 0x00, 0);
    armedDevice(3);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordTrialSlot()).toBe(Area.SlotB);
    expect<i32>(bootRecordTrialAttempts()).toBe(3);
    expect<bool>(bootRecordTrialBooted()).toBe(false);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Trial);
    expect<u32>(bootRecordSlotSize(Area.SlotB)).toBe(1200);
    expect<i32>(memory.compare(bootRecordSlotDigest(Area.SlotB), digest, 32)).toBe(0);
    expect<i32>(bootRecordActiveSlot()).toBe(Area.SlotA);
  });

  it("refuses to overwrite the confirmed slot, bad attempts and long versions", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    expect<i32>(bootRecordPrepareSlot(Area.SlotA)).toBe(StorageStatus.SlotInUse);
    expect<i32>(bootRecordPrepareSlot(Area.BootRecord)).toBe(StorageStatus.NotASlot);
    expect<i32>(bootRecordArmTrial(Area.SlotA, 10, digest, version, 1, 3)).toBe(StorageStatus.SlotInUse);
    expect<i32>(bootRecordArmTrial(Area.SlotB, 10, digest, version, 1, 0)).toBe(StorageStatus.AttemptsInvalid);
    expect<i32>(bootRecordArmTrial(Area.SlotB, 10, digest, version, 1, 256)).toBe(StorageStatus.AttemptsInvalid);
    expect<i32>(bootRecordArmTrial(Area.SlotB, 10, digest, version, 65, 3)).toBe(StorageStatus.VersionTooLong);
  });

  it("a trial that has not booted can be replaced; preparing an empty slot writes nothing", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordTrialSlot()).toBe(NO_SLOT);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Empty);
    const operations = flashOperations();
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(operations);
  });

  it("confirms only a trial image the bootloader has started", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(2);
    expect<i32>(bootRecordConfirm()).toBe(StorageStatus.NotInTrial, "armed but not booted: still running A");
    expect<i32>(bootDecide()).toBe(StorageStatus.Ok);
    expect<i32>(bootDecisionApply()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordWritableSlot()).toBe(NO_SLOT, "neither slot may be written while the trial runs");
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.SlotInUse);
    expect<i32>(bootRecordConfirm()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordActiveSlot()).toBe(Area.SlotB);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Confirmed);
    expect<i32>(bootRecordTrialSlot()).toBe(NO_SLOT);
    expect<i32>(bootRecordWritableSlot()).toBe(Area.SlotA);
    expect<i32>(bootRecordConfirm()).toBe(StorageStatus.NotInTrial, "a second on_healthy changes nothing");
  });
});

describe("boot record: damage and power cuts", () => {
  it("falls back to the older copy when the newer one fails its CRC", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    flashPoke(Area.BootRecord, 4096 + 40, flashPeek(Area.BootRecord, 4096 + 40) ^ 0x10);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(1);
    expect<i32>(bootRecordTrialSlot()).toBe(NO_SLOT);
  });

  it("ignores a copy whose commit marker is torn or missing", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    flashPoke(Area.BootRecord, 4096 + 235, 0xff); // last byte of copy 1's marker never programmed
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(1);
    for (let i: u32 = 228; i < 236; i++) flashPoke(Area.BootRecord, 4096 + i, 0xff);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(1);
  });

  it("reads the old or the new record after a cut at any operation of a store", () => {
    const aligns: u32[] = [1, 4, 32];
    for (let a = 0; a < aligns.length; a++) {
      for (let kind = 0; kind < 3; kind++) {
        for (let cut = 0; cut < 3; cut++) { // erase, payload, marker
          flashSetup(2048, 128, 2048, 128, aligns[a], kind == 1 ? 0x00 : 0xff, 0);
          armedDevice(3);
          expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
          flashCut(cut, kind, -1);
          expect<i32>(bootRecordConfirm()).toBe(StorageStatus.NotInTrial);
          expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
          // A store the cut did not stop would be sequence 3.
          expect<u32>(bootRecordSequence()).toBe(2);
          expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.FlashDeviceError);
          expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
          // The marker's 8 bytes lead its write unit; a torn write that programs half of a
          // 32-byte unit has written all of them, and the rest was erased padding anyway.
          const tornCommits = max<u32>(8, aligns[a]) / 2 >= 8;
          const committed = cut == 2 && (kind == CutKind.After || (kind == CutKind.Torn && tornCommits));
          expect<u32>(bootRecordSequence()).toBe(committed ? 3 : 2);
          expect<i32>(bootRecordTrialSlot()).toBe(committed ? NO_SLOT : Area.SlotB);
        }
      }
    }
  });

  it("orders sequence numbers across the wrap from 0xFFFFFFFF to 0", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3); // copy 0 holds sequence 1, copy 1 sequence 2
    resequence(1, 0xffffffff);
    resequence(0, 0xfffffffe);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(0xffffffff);
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(0, "the next sequence after 0xFFFFFFFF is 0, and it wins");
    expect<i32>(bootRecordTrialSlot()).toBe(NO_SLOT);
  });
});
