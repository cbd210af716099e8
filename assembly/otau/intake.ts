// Taking a config: the document is parsed into `candidate` in any state; what a valid
// one then means depends on the state (a row each in otau/machine.ts): a new update when
// idle, a refresh or a superseding update mid-download, a refusal while an installed
// image awaits its reset or its trial. Begin runs the TEST steps.
import { ConfigSource, LogLevel } from "../abi";
import { fetch_cancel, log, logText } from "../host";
import { IO_BUFFER_SIZE, ioBuffer } from "../io";
import { DocumentResult } from "../manifest/document";
import { parseKaaResponse } from "../manifest/kaa";
import { parseConfigOtau, parseOtauInfo } from "../manifest/murano";
import { setTargetSlot } from "../manifest/slot_builds";
import {
  UpdateKind, active, adoptCandidate, candidate, kindOf, refreshUrls, sameUpdate, sameVersion, versionLength, versionPtr,
} from "../manifest/update_request";
import { messageClear, messageLength, messagePtr, say, sayBytes } from "../message";
import { runTests } from "./checks";
import { AgentEvent, Next } from "./events";
import { clearProgress, installedRequestVersion, isFailedVersion, resumeOffered, writableSlotArea } from "./image_store";
import { applyJson } from "./install";
import { raise } from "./queue";
import { reportStatus, sayVersion } from "./report";
import { Status } from "./status";
import { text } from "../text";

function parseCandidate(source: ConfigSource, length: u32): DocumentResult {
  // A release with a build per slot gives the one for the slot an update writes.
  setTargetSlot(writableSlotArea());
  const len = <usize>length;
  const capacity = <usize>IO_BUFFER_SIZE;
  if (source == ConfigSource.KaaResponse) return parseKaaResponse(candidate, ioBuffer, len, capacity);
  if (source == ConfigSource.MuranoOtauInfo) return parseOtauInfo(candidate, ioBuffer, len, capacity);
  return parseConfigOtau(candidate, ioBuffer, len, capacity);
}

/** Any state, Config(source, length): parse; a valid config goes on as Candidate. */
export function takeConfig(source: u32, length: u32, _c: u32): Next {
  const result = parseCandidate(<ConfigSource>source, length);
  if (result == DocumentResult.UpToDate) {
    logText(LogLevel.Info, text("cloud reports the installed version is current"));
  } else if (result == DocumentResult.CloudError) {
    // An answer to the agent's own request, not an update: it goes to the log ("Kaa answered 404: …").
    log(LogLevel.Warn, messagePtr(), messageLength());
  } else if (result == DocumentResult.Invalid) {
    // A refused document never disturbs the update in progress.
    reportStatus(candidate, Status.TestError);
  } else {
    raise(AgentEvent.Candidate);
  }
  return Next.Stay;
}

/** Idle, Candidate: the config starts an update. */
export function startUpdate(_a: u32, _b: u32, _c: u32): Next {
  raise(AgentEvent.Begin);
  return Next.Stay;
}

/**
 * Fetching, Receiving or Backoff, Candidate: the same update again (perhaps with fresh
 * presigned links) carries on; another one ends this one (Abort, reported under the old
 * version, so the candidate is adopted only by Begin) and starts.
 */
export function supersedeUpdate(_a: u32, _b: u32, _c: u32): Next {
  if (sameUpdate(candidate, active)) {
    refreshUrls();
    return Next.Stay;
  }
  raise(AgentEvent.Abort);
  raise(AgentEvent.Begin);
  return Next.Stay;
}

/**
 * AwaitingReset, Candidate: the installed update's own config changes nothing; another is
 * refused until this one is settled.
 */
export function refuseUntilReset(_a: u32, _b: u32, _c: u32): Next {
  if (sameVersion(candidate, active)) return Next.Stay;
  sayVersion(active);
  say(" is installed and waiting for its reset");
  return refuseCandidate();
}

/** Trial, Candidate: as refuseUntilReset, while the installed update runs on trial. */
export function refuseDuringTrial(_a: u32, _b: u32, _c: u32): Next {
  if (sameVersion(candidate, active)) return Next.Stay;
  sayVersion(active);
  say(" is on trial boot");
  return refuseCandidate();
}

function refuseCandidate(): Next {
  say("; a new update can start once it is confirmed or rolled back");
  reportStatus(candidate, Status.TestError);
  return Next.Stay;
}

/** Any state, Abort: a newer config supersedes the update in progress. */
export function abortUpdate(_a: u32, _b: u32, _c: u32): Next {
  fetch_cancel();
  messageClear();
  say("superseded by version ");
  sayBytes(versionPtr(candidate), versionLength(candidate));
  reportStatus(active, Status.InstallAborted);
  clearProgress();
  return Next.Move;
}

/** Idle, Begin: the candidate becomes the update; INIT and the TEST steps; raises TestPassed when a download follows. */
export function beginUpdate(_a: u32, _b: u32, _c: u32): Next {
  adoptCandidate();
  if (sameVersion(active, installedRequestVersion())) {
    messageClear();
    reportStatus(active, Status.InstalledVersion);
    return Next.Stay;
  }
  if (isFailedVersion(active)) {
    sayVersion(active);
    say(" was rolled back after failing its trial boot; apply a different version");
    reportStatus(active, Status.TestError);
    return Next.Stay;
  }
  if (kindOf(active) != UpdateKind.Json && resumeOffered(active)) {
    raise(AgentEvent.Resume);
    return Next.Stay;
  }
  messageClear();
  sayBytes(versionPtr(active), versionLength(active));
  reportStatus(active, Status.Init);
  messageClear();
  reportStatus(active, Status.Test);
  if (!runTests()) return Next.Stay;
  messageClear();
  say("all checks passed");
  reportStatus(active, Status.TestSuccess);
  if (kindOf(active) == UpdateKind.Json) {
    applyJson();
    return Next.Stay;
  }
  raise(AgentEvent.TestPassed);
  return Next.Stay;
}
