// What the agent says when the device starts: the installed version, or where a trial
// boot stands. It reads the boot record once and sets the machine's first state.
import { AgentState, LogLevel, Setting } from "../abi";
import { logText, reset } from "../host";
import { Cloud, active, clearRequest, versionLength, versionPtr } from "../manifest/update_request";
import { sayBootRefusal } from "../image/problem";
import { messageClear, say, sayBytes, sayCount } from "../message";
import {
  BootOutcome, bootOutcome, failedImageRefusal, failedRequestVersion, installedRequestVersion, loadTrialVersion, noteRollbackReported, storeBoot,
  storageErrorText, trialAttemptsLeft,
} from "./image_store";
import { resetMachine } from "./machine";
import { reportStatus, sayVersion } from "./report";
import { setting } from "./settings";
import { loadTrustedKeys } from "./signed_image";
import { Status } from "./status";
import { text } from "../text";

/** Returns 0, or the negative StorageStatus that kept the agent from reading its flash. */
export function startAgent(ownVersion: usize, ownVersionLength: i32): i32 {
  clearRequest(active, <Cloud>setting(Setting.Cloud));
  const status = storeBoot(ownVersion, ownVersionLength);
  if (status != 0) {
    logText(LogLevel.Error, text("cannot read the boot record: "), storageErrorText(status));
    resetMachine(AgentState.Idle);
    return status;
  }
  loadTrustedKeys();
  const outcome = bootOutcome();
  if (outcome == BootOutcome.OnTrial) {
    loadTrialVersion(active);
    if (runsAnotherVersion(ownVersion, ownVersionLength, active)) {
      // Never confirmed: the reset makes the bootloader count the attempt, and roll back in the end.
      sayOtherVersion(ownVersion, ownVersionLength, active, "the update installed; it will not be confirmed, resetting");
      reportStatus(active, Status.InstallError);
      resetMachine(AgentState.AwaitingReset);
      reset();
      return 0;
    }
    messageClear();
    say("running version ");
    sayBytes(versionPtr(active), versionLength(active));
    say(" on trial (");
    sayCount(trialAttemptsLeft(), text(" boot left"), text(" boots left"));
    say("); waiting for the application to confirm it");
    reportStatus(active, Status.InstallStep);
    resetMachine(AgentState.Trial);
    return 0;
  }
  const installed = installedRequestVersion();
  if (outcome == BootOutcome.RolledBack) {
    const failed = failedRequestVersion();
    sayVersion(failed);
    const refusal = failedImageRefusal();
    if (refusal != 0) {
      say(" was refused by the bootloader: ");
      sayBootRefusal(refusal);
    } else {
      say(" was not confirmed healthy within ");
      sayCount(setting(Setting.TrialBoots), text(" boot"), text(" boots"));
    }
    say("; rolled back to ");
    sayBytes(versionPtr(installed), versionLength(installed));
    reportStatus(failed, Status.InstallError);
    // Marked once reported: a power cut before the mark repeats the report, never loses it.
    const marked = noteRollbackReported();
    if (marked != 0) logText(LogLevel.Warn, text("cannot note the rollback as reported: "), storageErrorText(marked));
  }
  if (runsAnotherVersion(ownVersion, ownVersionLength, installed)) {
    // The record's version is not what runs: it is never reported as installed.
    sayOtherVersion(ownVersion, ownVersionLength, installed, "the boot record says is installed");
    reportStatus(installed, Status.InstallError);
    resetMachine(AgentState.Idle);
    return 0;
  }
  messageClear();
  reportStatus(installed, Status.InstalledVersion);
  resetMachine(AgentState.Idle);
  return 0;
}

/** With RunningVersionCheck: the running image names a version other than request `req`'s. */
function runsAnotherVersion(ownVersion: usize, ownVersionLength: i32, req: usize): bool {
  if (setting(Setting.RunningVersionCheck) == 0 || ownVersionLength == 0) return false;
  const length = versionLength(req);
  return length != ownVersionLength || memory.compare(ownVersion, versionPtr(req), <usize>length) != 0;
}

/** "the running image reports version 1.9.0, not 2.0.0 as <what>". */
function sayOtherVersion(ownVersion: usize, ownVersionLength: i32, req: usize, what: string): void {
  messageClear();
  say("the running image reports version ");
  sayBytes(ownVersion, ownVersionLength);
  say(", not ");
  sayBytes(versionPtr(req), versionLength(req));
  say(" as ");
  say(what);
}
