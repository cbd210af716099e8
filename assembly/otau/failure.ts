// How an update ends when it cannot go on: the error status with the message composed
// (or a flash error named), then Failed, whose row forgets the update.
import { fetch_cancel } from "../host";
import { active } from "../manifest/update_request";
import { messageClear, say, sayText } from "../message";
import { AgentEvent, Next } from "./events";
import { clearProgress, storageErrorText } from "./image_store";
import { raise } from "./queue";
import { reportStatus } from "./report";
import { Status } from "./status";

/** DOWNLOAD_ERROR with the message composed; the update ends. */
export function downloadFailed(): Next {
  fetch_cancel();
  reportStatus(active, Status.DownloadError);
  raise(AgentEvent.Failed);
  return Next.Stay;
}

/** The steps of an update that write flash; those before SealingImage belong to the download. */
export const enum FlashStep {
  PreparingSlot,
  WritingSlot,
  VerifyingSlot,
  RewindingSlot,
  SealingImage,
  WritingBootRecord,
  ConfirmingTrial,
}

// A switch of literals rather than a string argument: say("…") stores its text as UTF-8.
function sayFlashStep(step: FlashStep): void {
  switch (step) {
    case FlashStep.PreparingSlot: say("preparing the slot"); break;
    case FlashStep.WritingSlot: say("writing the slot"); break;
    case FlashStep.VerifyingSlot: say("verifying the slot"); break;
    case FlashStep.RewindingSlot: say("rewinding the slot"); break;
    case FlashStep.SealingImage: say("sealing the image"); break;
    case FlashStep.WritingBootRecord: say("writing the boot record"); break;
    default: say("confirming the trial image");
  }
}

/** DOWNLOAD_ERROR or INSTALL_ERROR naming the flash error `code` met during `step`. */
export function reportStorageError(step: FlashStep, code: i32): void {
  messageClear();
  say("flash error while ");
  sayFlashStep(step);
  say(": ");
  sayText(storageErrorText(code));
  reportStatus(active, step < FlashStep.SealingImage ? Status.DownloadError : Status.InstallError);
}

/** The flash error reported (reportStorageError); the update ends. */
export function storageFailure(step: FlashStep, code: i32): Next {
  reportStorageError(step, code);
  raise(AgentEvent.Failed);
  return Next.Stay;
}

/** Any state, Failed: the update is over; nothing of it is resumed after a reset. */
export function endUpdate(_a: u32, _b: u32, _c: u32): Next {
  fetch_cancel();
  clearProgress();
  return Next.Move;
}
