import { SHA256_CONTEXT_SIZE, sha256Final, sha256Init, sha256Update } from "../../assembly/crypto/sha256";
import { Area } from "../../assembly/abi";
import {
  BootRule, bootDecide, bootDecisionApply, bootDecisionCheckSize, bootDecisionCheckSlot, bootDecisionNoteCheck,
  bootDecisionRefusal, bootDecisionRefusedSlot, bootDecisionRequireChecks, bootDecisionRule, bootDecisionSlot,
  bootDecisionTrialFailed, bootDecisionWritesRecord,
} from "../../assembly/storage/boot_decision";
import {
  FailureCause, NO_SLOT, SlotState, bootRecordActiveSlot, bootRecordArmTrial, bootRecordConfirm, bootRecordInitFactory,
  bootRecordLoad, bootRecordPrepareSlot, bootRecordSequence, bootRecordSetSlotState, bootRecordSlotFailureCause, bootRecordSlotImageProblem, bootRecordSlotState,
  bootRecordStore, bootRecordTrialAttempts,
  bootRecordTrialBooted, bootRecordTrialSlot,
} from "../../assembly/storage/boot_record";
import { StorageStatus } from "../../assembly/storage/status";
import { fillPattern, flashOperations, flashPeek, flashPoke, flashReport, flashSetup } from "./storage-flash";

const image = memory.data(4096, 8);
const context = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const digest = memory.data(32);

function placeImage(slot: i32, size: u32, seed: u32): void {
  fillPattern(image, size, seed);
  for (let i: u32 = 0; i < size; i++) flashPoke(slot, i, load<u8>(image + i));
  sha256Init(context);
  sha256Update(context, image, size);
  sha256Final(context, digest);
}

/** A confirmed factory image in A and a trial image in B with `attempts` boots. */
function armedDevice(attempts: i32): void {
  placeImage(Area.SlotA, 1000, 1);
  expect<i32>(bootRecordInitFactory(1000, 0, 0)).toBe(StorageStatus.Ok);
  expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
  placeImage(Area.SlotB, 1500, 2);
  expect<i32>(bootRecordArmTrial(Area.SlotB, 1500, digest, 0, 0, attempts)).toBe(StorageStatus.Ok);
}

function boot(): i32 {
  expect<i32>(bootDecide()).toBe(StorageStatus.Ok);
  expect<i32>(bootDecisionApply()).toBe(StorageStatus.Ok);
  return bootDecisionSlot();
}

function flip(slot: i32, offset: u32): void {
  flashPoke(slot, offset, flashPeek(slot, offset) ^ 0x20);
}

describe("boot decision table", () => {
  it("no-record: boots factory slot A and writes nothing", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    expect<i32>(bootDecide()).toBe(StorageStatus.Ok);
    expect<i32>(bootDecisionSlot()).toBe(Area.SlotA);
    expect<i32>(bootDecisionRule()).toBe(BootRule.NoRecord);
    expect<bool>(bootDecisionWritesRecord()).toBe(false);
    const operations = flashOperations();
    expect<i32>(bootDecisionApply()).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(operations);
  });

  it("trial-boot: boots the trial slot, one attempt used, marked booted", () => {
    flashSetup(16384, 4096, 8192, 4096, 8, 0x00, 0);
    armedDevice(2);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(bootDecisionRule()).toBe(BootRule.TrialBoot);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordTrialAttempts()).toBe(1);
    expect<bool>(bootRecordTrialBooted()).toBe(true);
  });

  it("falls back to the confirmed slot once the attempts are used up", () => {
    flashSetup(16384, 4096, 8192, 4096, 1, 0xff, 0);
    armedDevice(2);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<i32>(bootDecisionRule()).toBe(BootRule.Active);
    expect<bool>(bootDecisionTrialFailed()).toBe(true);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordTrialSlot()).toBe(NO_SLOT);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Failed);
    const sequence = bootRecordSequence();
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<bool>(bootDecisionWritesRecord()).toBe(false);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(sequence, "a normal boot writes nothing");
  });

  it("a confirmed trial becomes the slot booted from then on", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(1);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(bootRecordConfirm()).toBe(StorageStatus.Ok);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(bootDecisionRule()).toBe(BootRule.Active);
  });

  it("never boots a trial image that does not match its digest", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    flip(Area.SlotB, 1499);
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<bool>(bootDecisionTrialFailed()).toBe(true);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Failed);
  });

  it("gives up on a trial slot whose state is not Trial", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    // Only a record written outside the agent's steps looks like this: build it directly.
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    bootRecordSetSlotState(Area.SlotB, SlotState.Empty);
    expect<i32>(bootRecordStore()).toBe(StorageStatus.Ok);
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<bool>(bootDecisionTrialFailed()).toBe(true);
  });

  it("never boots a zero-size trial image", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordArmTrial(Area.SlotB, 0, digest, 0, 0, 3)).toBe(StorageStatus.Ok);
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<bool>(bootDecisionTrialFailed()).toBe(true);
  });

  it("other-confirmed: boots the other confirmed slot when the active image is damaged", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(1);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(bootRecordConfirm()).toBe(StorageStatus.Ok); // B active, A still confirmed
    flip(Area.SlotB, 0);
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<i32>(bootDecisionRule()).toBe(BootRule.OtherConfirmed);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordActiveSlot()).toBe(Area.SlotA);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Failed);
  });

  it("nothing-bootable: boots nothing when no image matches", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(1);
    flip(Area.SlotA, 5);
    flip(Area.SlotB, 5);
    expect<i32>(boot()).toBe(NO_SLOT);
    expect<i32>(bootDecisionRule()).toBe(BootRule.NothingBootable);
    expect<bool>(bootDecisionTrialFailed()).toBe(true);
  });

  it("reports a slot geometry it cannot use before reading the record", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    flashReport(Area.SlotB, 8192, 4096, 3, 0xff);
    expect<i32>(bootDecide()).toBe(StorageStatus.WriteAlignmentInvalid);
  });
});

describe("boot decision with an image check (bootloader_check_images)", () => {
  afterEach(() => {
    bootDecisionRequireChecks(false);
  });

  it("asks for each slot's check before taking it, writing nothing until it decides", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    bootDecisionRequireChecks(true);
    const operations = flashOperations();
    expect<i32>(bootDecide()).toBe(StorageStatus.Ok);
    expect<i32>(bootDecisionCheckSlot()).toBe(Area.SlotB);
    expect<u32>(bootDecisionCheckSize()).toBe(1500);
    expect<bool>(bootDecisionWritesRecord()).toBe(false);
    expect<i32>(bootDecisionApply()).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(operations);
    bootDecisionNoteCheck(Area.SlotB, 0, 2);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(bootDecisionCheckSlot()).toBe(NO_SLOT);
  });

  it("a refused trial is never booted: marked Failed with cause 1 and the refusal's code, in the same record write", () => {
    flashSetup(16384, 4096, 8192, 4096, 8, 0x00, 0);
    armedDevice(3);
    bootDecisionRequireChecks(true);
    bootDecide();
    bootDecisionNoteCheck(Area.SlotB, 20, 0);
    expect<i32>(bootDecide()).toBe(StorageStatus.Ok);
    expect<i32>(bootDecisionCheckSlot()).toBe(Area.SlotA);
    bootDecisionNoteCheck(Area.SlotA, 0, 0);
    const sequence = bootRecordSequence();
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<bool>(bootDecisionTrialFailed()).toBe(true);
    expect<i32>(bootDecisionRefusedSlot()).toBe(Area.SlotB);
    expect<i32>(bootDecisionRefusal()).toBe(20);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<u32>(bootRecordSequence()).toBe(sequence + 1);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Failed);
    expect<i32>(bootRecordSlotFailureCause(Area.SlotB)).toBe(FailureCause.RefusedByBootloader);
    expect<i32>(bootRecordSlotImageProblem(Area.SlotB)).toBe(20);
    // The next update's slot entry starts clean.
    expect<i32>(bootRecordPrepareSlot(Area.SlotB)).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordSlotFailureCause(Area.SlotB)).toBe(FailureCause.NotConfirmed);
    expect<i32>(bootRecordSlotImageProblem(Area.SlotB)).toBe(0);
  });

  it("an image the check verified against its own hash or signature needs no record digest; the factory image is checked too", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(3);
    flip(Area.SlotB, 700);
    bootDecisionRequireChecks(true);
    bootDecisionNoteCheck(Area.SlotB, 0, 2);
    expect<i32>(boot()).toBe(Area.SlotB);
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    bootDecisionRequireChecks(true);
    bootDecide();
    expect<i32>(bootDecisionCheckSlot()).toBe(Area.SlotA);
    expect<u32>(bootDecisionCheckSize()).toBe(0);
    bootDecisionNoteCheck(Area.SlotA, 18, 0);
    expect<i32>(boot()).toBe(NO_SLOT);
    expect<i32>(bootDecisionRule()).toBe(BootRule.NothingBootable);
  });

  it("without a check, an exhausted trial is Failed with cause 0 (not confirmed in time), as in records written before the cause existed", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    armedDevice(1);
    expect<i32>(boot()).toBe(Area.SlotB);
    expect<i32>(boot()).toBe(Area.SlotA);
    expect<i32>(bootRecordLoad()).toBe(StorageStatus.Ok);
    expect<i32>(bootRecordSlotState(Area.SlotB)).toBe(SlotState.Failed);
    expect<i32>(bootRecordSlotFailureCause(Area.SlotB)).toBe(FailureCause.NotConfirmed);
    expect<i32>(bootRecordSlotImageProblem(Area.SlotB)).toBe(0);
  });
});
