// The boot decision: which slot to start and which boot-record update to write before
// starting it, as a pure function of flash contents. The C bootloader
// (host/boot/boot_decision.c) implements the same table; docs/boot-record.md is the
// reference both follow, and the tests hold them to each other. A bootloader with an image
// check (firmware-sim's, with build/boot_verifier.wasm) turns on bootDecisionRequireChecks:
// then, as in the C decision's check_image hook, a slot the check refuses is never taken
// and, when the decision gives it up, is marked Failed with the refusal.
//
// Rows, in order (the first that matches picks the slot):
//   no-record        no valid copy                                   -> A, write nothing
//   trial-boot       trial set, attempts > 0, slot state Trial,
//                    image matches                                   -> trial, attempts-1, booted
//   (trial set otherwise: mark it Failed, clear the trial, go on; the update is written)
//   active           active slot Confirmed and its image matches     -> active
//   other-confirmed  the other slot Confirmed and its image matches  -> other; it becomes
//                                                                       active, the old active Failed
//   nothing-bootable                                                 -> none
import { Area } from "../abi";
import { areaLoad, otherSlot } from "./areas";
import { bootAreaLoad } from "./boot_area";
import {
  NO_SLOT, SlotState, bootRecordActiveSlot, bootRecordLoad, bootRecordSetActive,
  bootRecordSetSlotFailed, bootRecordSetTrial, bootRecordSlotDigest, bootRecordSlotSize,
  bootRecordSlotState, bootRecordStore, bootRecordTrialAttempts, bootRecordTrialSlot,
} from "./boot_record";
import { slotImageMatches } from "./image_check";
import { StorageStatus } from "./status";

export const enum BootRule {
  NoRecord = 1,
  TrialBoot = 2,
  Active = 3,
  OtherConfirmed = 4,
  NothingBootable = 5,
}

let decidedSlot: i32 = NO_SLOT;
let decidedRule: BootRule = BootRule.NothingBootable;
let trialFailed = false;
let recordChanged = false;

// The image check, when the bootloader has one (bootDecisionRequireChecks): the decision
// stops at the first slot it would take whose check it has not been told, asks for it
// (bootDecisionCheckSlot), and is run again from the start once the outcome is noted: the
// same order of checks as the C decision's check_image hook, one slot at a time.
let checksRequired = false;
let checkSlot: i32 = NO_SLOT;
let checkSize: u32 = 0;
let refusedSlot: i32 = NO_SLOT;
/** Per slot (index 1, 2): 1 once its check's outcome is noted, its refusal, what it rested on. */
const checkNoted = memory.data(3);
const checkRefusal = memory.data(3 * 4, 4);
const checkChecked = memory.data(3 * 4, 4);
/** slotBootable's answer when the slot's check has not been done yet. */
const CHECK_NEEDED: i32 = 2;

/** The slot to boot (1, 2) or NO_SLOT; valid after bootDecide returned Ok. */
export function bootDecisionSlot(): i32 {
  return decidedSlot;
}

export function bootDecisionRule(): BootRule {
  return decidedRule;
}

/** True when the decision gave up on a trial image (it is now marked Failed). */
export function bootDecisionTrialFailed(): bool {
  return trialFailed;
}

/** True when bootDecisionApply will write a new boot record. */
export function bootDecisionWritesRecord(): bool {
  return recordChanged;
}

/** From now on (`required`) every slot is checked (bootDecisionNoteCheck) before the decision takes it; no check noted yet. */
export function bootDecisionRequireChecks(required: bool): void {
  checksRequired = required;
  memory.fill(checkNoted, 0, 3);
}

/** The slot whose image check the last bootDecide needs before it can decide (NO_SLOT: it decided). */
export function bootDecisionCheckSlot(): i32 {
  return checkSlot;
}

/** The boot record's size for that slot (0 without a record): what the check measures the image against. */
export function bootDecisionCheckSize(): u32 {
  return checkSize;
}

/** The first slot the image check refused in the last decision (NO_SLOT: none), and why. */
export function bootDecisionRefusedSlot(): i32 {
  return refusedSlot;
}

export function bootDecisionRefusal(): i32 {
  return refusalOf(refusedSlot);
}

/** The outcome of the image check of `slot`: `refusal` 0 accepted (`checked`: on what grounds), else why not. */
export function bootDecisionNoteCheck(slot: i32, refusal: i32, checked: i32): void {
  store<u8>(checkNoted + <usize>slot, 1);
  store<i32>(checkRefusal + (<usize>slot << 2), refusal);
  store<i32>(checkChecked + (<usize>slot << 2), checked);
}

/** The noted refusal of the slot's image, 0 when it was accepted or not checked. */
function refusalOf(slot: i32): i32 {
  return checksRequired && slot != NO_SLOT && load<u8>(checkNoted + <usize>slot) != 0 ? load<i32>(checkRefusal + (<usize>slot << 2)) : 0;
}

/**
 * 1 when the slot may start, 0 when not, CHECK_NEEDED, or a negative StorageStatus. A refusal
 * of the image check rules it out; an image the check verified against its own hash or
 * signature needs no record digest; any other must match the record (`hasRecord` false: the
 * factory image, which only the check can rule out), as in the C decision's image_bootable.
 */
function slotBootable(slot: i32, hasRecord: bool): i32 {
  if (checksRequired) {
    if (load<u8>(checkNoted + <usize>slot) == 0) {
      checkSlot = slot;
      checkSize = hasRecord ? bootRecordSlotSize(slot) : 0;
      return CHECK_NEEDED;
    }
    if (refusalOf(slot) != 0) {
      if (refusedSlot == NO_SLOT) refusedSlot = slot;
      return 0;
    }
    if (load<i32>(checkChecked + (<usize>slot << 2)) != 0) return 1;
  }
  if (!hasRecord) return 1;
  return slotImageMatches(slot, bootRecordSlotSize(slot), bootRecordSlotDigest(slot));
}

/** bootDecide stops: a check is needed first; nothing is decided or to be written. */
function askCheck(): StorageStatus {
  recordChanged = false;
  trialFailed = false;
  return decide(NO_SLOT, BootRule.NothingBootable);
}

function decide(slot: i32, rule: BootRule): StorageStatus {
  decidedSlot = slot;
  decidedRule = rule;
  return StorageStatus.Ok;
}

/** Reads the boot record and the slots; leaves the update (if any) in the RAM record. */
export function bootDecide(): StorageStatus {
  trialFailed = false;
  recordChanged = false;
  checkSlot = NO_SLOT;
  refusedSlot = NO_SLOT;
  // All three areas are checked first, in order, so that both implementations report the
  // same geometry error whatever the record says.
  const bootArea = bootAreaLoad();
  if (bootArea != StorageStatus.Ok) return bootArea;
  for (let slot = Area.SlotA; slot <= Area.SlotB; slot++) {
    const geometry = areaLoad(slot);
    if (geometry != StorageStatus.Ok) return geometry;
  }
  const loaded = bootRecordLoad();
  if (loaded == StorageStatus.NoRecord) {
    // The factory image is checked too, or erasing area 0 would bypass the check.
    const factory = slotBootable(Area.SlotA, false);
    if (factory == CHECK_NEEDED) return askCheck();
    return factory == 1 ? decide(Area.SlotA, BootRule.NoRecord) : decide(NO_SLOT, BootRule.NothingBootable);
  }
  if (loaded != StorageStatus.Ok) return loaded;

  const trial = bootRecordTrialSlot();
  if (trial != NO_SLOT) {
    const attempts = bootRecordTrialAttempts();
    if (attempts > 0 && bootRecordSlotState(trial) == SlotState.Trial) {
      const matches = slotBootable(trial, true);
      if (matches == CHECK_NEEDED) return askCheck();
      if (matches < 0) return <StorageStatus>matches;
      if (matches == 1) {
        bootRecordSetTrial(trial, attempts - 1, true);
        recordChanged = true;
        return decide(trial, BootRule.TrialBoot);
      }
    }
    bootRecordSetSlotFailed(trial, refusalOf(trial));
    bootRecordSetTrial(NO_SLOT, 0, false);
    trialFailed = true;
    recordChanged = true;
  }

  const active = bootRecordActiveSlot();
  if (bootRecordSlotState(active) == SlotState.Confirmed) {
    const matches = slotBootable(active, true);
    if (matches == CHECK_NEEDED) return askCheck();
    if (matches < 0) return <StorageStatus>matches;
    if (matches == 1) return decide(active, BootRule.Active);
  }
  const other = otherSlot(active);
  if (bootRecordSlotState(other) == SlotState.Confirmed) {
    const matches = slotBootable(other, true);
    if (matches == CHECK_NEEDED) return askCheck();
    if (matches < 0) return <StorageStatus>matches;
    if (matches == 1) {
      bootRecordSetSlotFailed(active, refusalOf(active));
      bootRecordSetActive(other);
      recordChanged = true;
      return decide(other, BootRule.OtherConfirmed);
    }
  }
  return decide(NO_SLOT, BootRule.NothingBootable);
}

/** Writes the record update the last bootDecide chose, if it chose one. */
export function bootDecisionApply(): StorageStatus {
  return recordChanged ? bootRecordStore() : StorageStatus.Ok;
}
