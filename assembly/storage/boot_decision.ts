// The boot decision: which slot to start and which boot-record update to write before
// starting it, as a pure function of flash contents. The C bootloader
// (host/boot/boot_decision.c) implements the same table; docs/boot-record.md is the
// reference both follow, and the tests hold them to each other.
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
  bootRecordSetSlotState, bootRecordSetTrial, bootRecordSlotDigest, bootRecordSlotSize,
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

function decide(slot: i32, rule: BootRule): StorageStatus {
  decidedSlot = slot;
  decidedRule = rule;
  return StorageStatus.Ok;
}

/** Reads the boot record and the slots; leaves the update (if any) in the RAM record. */
export function bootDecide(): StorageStatus {
  trialFailed = false;
  recordChanged = false;
  // All three areas are checked first, in order, so that both implementations report the
  // same geometry error whatever the record says.
  const bootArea = bootAreaLoad();
  if (bootArea != StorageStatus.Ok) return bootArea;
  for (let slot = Area.SlotA; slot <= Area.SlotB; slot++) {
    const geometry = areaLoad(slot);
    if (geometry != StorageStatus.Ok) return geometry;
  }
  const loaded = bootRecordLoad();
  if (loaded == StorageStatus.NoRecord) return decide(Area.SlotA, BootRule.NoRecord);
  if (loaded != StorageStatus.Ok) return loaded;

  const trial = bootRecordTrialSlot();
  if (trial != NO_SLOT) {
    const attempts = bootRecordTrialAttempts();
    if (attempts > 0 && bootRecordSlotState(trial) == SlotState.Trial) {
      const matches = slotImageMatches(trial, bootRecordSlotSize(trial), bootRecordSlotDigest(trial));
      if (matches < 0) return <StorageStatus>matches;
      if (matches == 1) {
        bootRecordSetTrial(trial, attempts - 1, true);
        recordChanged = true;
        return decide(trial, BootRule.TrialBoot);
      }
    }
    bootRecordSetSlotState(trial, SlotState.Failed);
    bootRecordSetTrial(NO_SLOT, 0, false);
    trialFailed = true;
    recordChanged = true;
  }

  const active = bootRecordActiveSlot();
  if (bootRecordSlotState(active) == SlotState.Confirmed) {
    const matches = slotImageMatches(active, bootRecordSlotSize(active), bootRecordSlotDigest(active));
    if (matches < 0) return <StorageStatus>matches;
    if (matches == 1) return decide(active, BootRule.Active);
  }
  const other = otherSlot(active);
  if (bootRecordSlotState(other) == SlotState.Confirmed) {
    const matches = slotImageMatches(other, bootRecordSlotSize(other), bootRecordSlotDigest(other));
    if (matches < 0) return <StorageStatus>matches;
    if (matches == 1) {
      bootRecordSetSlotState(active, SlotState.Failed);
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
