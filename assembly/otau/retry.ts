// Transfers that fail are tried again: each failed attempt keeps its cause, waits a
// doubling delay (Backoff) and asks for the file from the first byte not yet received
// (HTTP Range); a transfer that goes quiet for the stall timeout counts as failed.
// After the last attempt the update ends with DOWNLOAD_ERROR naming the last cause, unless
// a cool-down is set: then DOWNLOAD_ERROR says when the same update is tried again, and
// the agent waits in Backoff that long (doubling at each cool-down) with a fresh set of
// attempts, so a fleet comes back after an outage with nobody applying the update anew.
// Every delay is jittered (jitter.ts) when the host gives a seed.
import { Setting } from "../abi";
import { fetch, fetch_cancel } from "../host";
import { active, fileUrl, fileUrlLength } from "../manifest/update_request";
import { messageClear, messageLength, messagePtr, say, sayBytes, sayNumber, sayText } from "../message";
import { clockNow } from "./clock";
import { fileIndex, fileReceived, sayFile } from "./current_file";
import { AgentEvent, Next } from "./events";
import { downloadFailed } from "./failure";
import { jittered } from "./jitter";
import { raise } from "./queue";
import { reportStatus } from "./report";
import { setting } from "./settings";
import { Status } from "./status";
import { text } from "../text";

let attempts: u32 = 0;
/** Cool-downs so far for this file: each doubles the next. */
let cooldowns: u32 = 0;
/** Doubling stops here: at most 64 times the cool-down setting. */
const MAX_COOLDOWN_SHIFT: u32 = 6;
let retryAt: u32 = 0;
/** When the transfer last started or delivered something. */
let lastActivity: u32 = 0;

// Why the last transfer failed, kept for the retry report and the final DOWNLOAD_ERROR.
const CAUSE_CAPACITY: i32 = 200;
const cause = memory.data(CAUSE_CAPACITY);
let causeLength: i32 = 0;

/** A file starts with all its attempts ahead of it. */
export function attemptsReset(): void {
  attempts = 0;
  cooldowns = 0;
}

/** The transfer is alive (it started, answered or delivered a chunk). */
export function noteActivity(): void {
  lastActivity = clockNow();
}

/** The message now composed becomes the cause of a failed transfer. */
export function transferFailed(): Next {
  causeLength = min(messageLength(), CAUSE_CAPACITY);
  memory.copy(cause, messagePtr(), causeLength);
  raise(AgentEvent.TransferFailed);
  return Next.Stay;
}

/** Asks the host for the current file from byte `offset`; Move: now Fetching, even when the host refused. */
export function startFetch(offset: u32): Next {
  noteActivity();
  const result = fetch(fileUrl(active, fileIndex()), fileUrlLength(active, fileIndex()), offset);
  if (result == 0) return Next.Move;
  messageClear();
  say("the host could not start a transfer (code ");
  sayNumber(<u64>abs(result));
  say(")");
  transferFailed();
  return Next.Move; // Fetching, so that TransferFailed is handled like any other
}

/** True when the transfer has been quiet for the stall timeout at `now`. */
export function isStalled(now: u32): bool {
  return now - lastActivity >= setting(Setting.StallTimeoutMs);
}

/** Fetching or Receiving, Tick(now): give up on a transfer that has gone quiet. */
export function checkStall(now: u32, _b: u32, _c: u32): Next {
  const quiet = now - lastActivity;
  if (!isStalled(now)) return Next.Stay;
  fetch_cancel();
  messageClear();
  say("no data for ");
  sayNumber(quiet);
  say(" ms on ");
  sayFile();
  return transferFailed();
}

/** Fetching or Receiving, TransferFailed: wait and try again, or give up after the last attempt. */
export function scheduleRetry(_a: u32, _b: u32, _c: u32): Next {
  fetch_cancel();
  attempts++;
  const limit = setting(Setting.MaxAttempts);
  messageClear();
  if (attempts >= limit) {
    say("gave up after ");
    sayNumber(attempts);
    sayText(attempts == 1 ? text(" attempt: ") : text(" attempts: "));
    sayBytes(cause, causeLength);
    if (setting(Setting.RetryCooldownMs) == 0) return downloadFailed();
    return coolDown();
  }
  const delay = jittered(<u32>retryDelay(attempts));
  retryAt = clockNow() + delay;
  say("attempt ");
  sayNumber(attempts);
  say(" of ");
  sayNumber(limit);
  say(" failed (");
  sayBytes(cause, causeLength);
  say("); retrying in ");
  sayNumber(delay);
  say(" ms from byte ");
  sayNumber(fileReceived());
  reportStatus(active, Status.DownloadStep);
  return Next.Move;
}

/** DOWNLOAD_ERROR (its message composed) saying when the update is tried again; stays in Backoff. */
function coolDown(): Next {
  const shift = min<u32>(cooldowns, MAX_COOLDOWN_SHIFT);
  const delay = jittered(<u32>min<u64>(<u64>setting(Setting.RetryCooldownMs) << shift, <u64>u32.MAX_VALUE >> 1));
  cooldowns++;
  attempts = 0;
  retryAt = clockNow() + delay;
  say("; trying again in ");
  sayNumber(delay);
  say(" ms (cool-down ");
  sayNumber(cooldowns);
  say(")");
  reportStatus(active, Status.DownloadError);
  return Next.Move;
}

/** The longest wait a wrapping u32 millisecond clock can tell apart (retryWhenDue compares signed). */
const MAX_DELAY_MS: u64 = 0x7fffffff;

/** RetryBaseMs doubled per attempt after the first, capped by RetryMaxMs; it saturates, never wraps. */
function retryDelay(attempt: u32): u64 {
  const cap = min<u64>(<u64>setting(Setting.RetryMaxMs), MAX_DELAY_MS);
  const base = <u64>setting(Setting.RetryBaseMs);
  const doublings = attempt - 1;
  // A u32 base doubled up to 31 times fits in a u64; more doublings are past any cap.
  if (base == 0) return 0;
  if (doublings >= 32) return cap;
  return min<u64>(base << doublings, cap);
}

/** Backoff, Tick(now). */
export function retryWhenDue(now: u32, _b: u32, _c: u32): Next {
  if (<i32>(now - retryAt) >= 0) raise(AgentEvent.RetryDue);
  return Next.Stay;
}

/** Backoff, RetryDue: ask again from the first byte not yet received (HTTP Range). */
export function resumeDownload(_a: u32, _b: u32, _c: u32): Next {
  if (attempts == 0 && cooldowns > 0) {
    messageClear();
    say("cool-down ");
    sayNumber(cooldowns);
    say(" over: trying ");
    sayFile();
    say(" again from byte ");
    sayNumber(fileReceived());
    reportStatus(active, Status.DownloadStep);
  }
  return startFetch(fileReceived());
}
