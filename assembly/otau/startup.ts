// What the agent says when the device starts: the installed version, or where a trial
// boot stands. It reads the boot record once and sets the machine's first state.
import { AgentState, LogLevel, Setting } from "../abi";
import { logText } from "../host";
import { Cloud, active, clearRequest, versionLength, versionPtr } from "../manifest/update_request";
import { messageClear, say, sayBytes, sayNumber } from "../message";
import {
  BootOutcome, bootOutcome, failedRequestVersion, installedRequestVersion, loadTrialVersion, noteRollbackReported, storeBoot,
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
    messageClear();
    say("running version ");
    sayBytes(versionPtr(active), versionLength(active));
    say(" on trial (");
    sayCount(trialAttemptsLeft(), " boot left", " boots left");
    say("); waiting for the application to confirm it");
    reportStatus(active, Status.InstallStep);
    resetMachine(AgentState.Trial);
    return 0;
  }
  const installed = installedRequestVersion();
  if (outcome == BootOutcome.RolledBack) {
    const failed = failedRequestVersion();
    sayVersion(failed);
    say(" was not confirmed healthy within ");
    sayCount(setting(Setting.TrialBoots), " boot", " boots");
    say("; rolled back to ");
    sayBytes(versionPtr(installed), versionLength(installed));
    reportStatus(failed, Status.InstallError);
    // Marked once reported: a power cut before the mark repeats the report, never loses it.
    const marked = noteRollbackReported();
    if (marked != 0) logText(LogLevel.Warn, text("cannot note the rollback as reported: "), storageErrorText(marked));
  }
  messageClear();
  reportStatus(installed, Status.InstalledVersion);
  resetMachine(AgentState.Idle);
  return 0;
}

/** "1 boot", "3 boots". */
function sayCount(count: i32, one: string, many: string): void {
  sayNumber(count);
  say(count == 1 ? one : many);
}
