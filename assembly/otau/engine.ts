// The handlers of the transition table (otau/machine.ts): each performs one step of
// an update and reports it. Every status carries the version of the config being
// processed; every error message names the field or condition and the values involved.
import { LogLevel, apply_json, fetch, fetch_cancel, log, logText, reset } from "../host";
import { ioBuffer, IO_BUFFER_SIZE } from "../io";
import { decodeString, firstElement, nextElement } from "../json/reader";
import { DocumentResult } from "../manifest/document";
import { parseKaaResponse, upgradableFromAt, documentEnd } from "../manifest/kaa";
import { jsonPayloadAt, jsonPayloadEnd, parseConfigOtau, parseOtauInfo } from "../manifest/murano";
import {
  UpdateKind, active, adoptCandidate, candidate, fileCount, fileDigest, fileDigestKnown, fileSize, fileSizeKnown,
  fileUrl, fileUrlLength, kindOf, isSigned, refreshUrls, sameUpdate, sameVersion, versionLength, versionPtr, Cloud,
  cloudOf,
} from "../manifest/update_request";
import { AgentEvent, AgentState } from "./events";
import { currentState } from "./machine";
import { raise } from "./queue";
import { messageClear, messageLength, messagePtr, say, sayBytes, sayHex, sayNumber } from "./message";
import { reportStatus } from "./report";
import { NOT_COMPARABLE, compareVersions } from "./semver";
import { Setting, setting } from "./settings";
import { Status } from "./status";
import * as store from "./image_store";

/** Which document kind `on_config` carries. */
export const enum ConfigSource {
  MuranoConfigOtau = 0,
  MuranoOtauInfo = 1,
  KaaResponse = 2,
}

// The event being handled: its arguments, as the exports received them.
let configSource: ConfigSource = ConfigSource.MuranoConfigOtau;
let configLength: u32 = 0;
let responseStatus: i32 = 0;
let responseRangeStart: u32 = 0;
let responseTotal: u32 = 0;
let dataLength: u32 = 0;
let dataEndOk = false;
let now: u32 = 0;

export function setConfigEvent(source: ConfigSource, length: u32): void { configSource = source; configLength = length; }
export function setResponseEvent(status: i32, rangeStart: u32, total: u32): void {
  responseStatus = status;
  responseRangeStart = rangeStart;
  responseTotal = total;
}
export function setDataEvent(length: u32): void { dataLength = length; }
export function setDataEndEvent(ok: bool): void { dataEndOk = ok; }
export function setNow(ms: u32): void { now = ms; }

// The download in progress.
let fileIndex: i32 = 0;
/** Where the current file starts in the slot. */
let fileStart: u32 = 0;
/** Bytes of the current file received and handed to the slot writer. */
let fileReceived: u32 = 0;
/** The current file's size as the server announced it (0 = unknown). */
let fileTotal: u32 = 0;
let attempts: u32 = 0;
let retryAt: u32 = 0;
let lastActivity: u32 = 0;
let nextProgressAt: u32 = 0;
let lastError: i32 = 0;

const PROGRESS_BYTES: u32 = 64 * 1024;
const PROGRESS_PERCENT: u32 = 5;

// ---- Config intake

function parseCandidate(): DocumentResult {
  const len = <usize>configLength;
  const capacity = <usize>IO_BUFFER_SIZE;
  if (configSource == ConfigSource.KaaResponse) return parseKaaResponse(candidate, ioBuffer, len, capacity);
  if (configSource == ConfigSource.MuranoOtauInfo) return parseOtauInfo(candidate, ioBuffer, len, capacity);
  return parseConfigOtau(candidate, ioBuffer, len, capacity);
}

function busy(): bool {
  const state = currentState();
  return state == AgentState.Fetching || state == AgentState.Receiving || state == AgentState.Backoff;
}

/** Any state, Config: parse, then decide between nothing, a refresh, an abort and a new update. */
export function acceptConfig(): bool {
  const result = parseCandidate();
  if (result == DocumentResult.UpToDate) {
    logText(LogLevel.Info, "cloud reports the installed version is current");
    return false;
  }
  if (result == DocumentResult.CloudError) {
    // An answer to the agent's own request, not an update: it goes to the log ("Kaa answered 404: …").
    log(LogLevel.Warn, messagePtr(), messageLength());
    return false;
  }
  if (result == DocumentResult.Invalid) {
    // A refused document never disturbs the update in progress.
    reportStatus(candidate, Status.TestError);
    return false;
  }
  const state = currentState();
  if (state == AgentState.AwaitingReset || state == AgentState.Trial) {
    if (sameVersion(candidate, active)) return false;
    messageClear();
    say("version ");
    sayBytes(versionPtr(active), versionLength(active));
    say(state == AgentState.Trial ? " is on trial boot" : " is installed and waiting for its reset");
    say("; a new update can start once it is confirmed or rolled back");
    reportStatus(candidate, Status.TestError);
    return false;
  }
  if (busy() && sameUpdate(candidate, active)) {
    refreshUrls(); // the same update again (perhaps with fresh presigned links): carry on
    return false;
  }
  // Abort reports the old update under its own version, so the candidate is adopted by Begin.
  if (busy()) raise(AgentEvent.Abort);
  raise(AgentEvent.Begin);
  return false;
}

/** Any state, Abort: a newer config supersedes the update in progress. */
export function abortUpdate(): bool {
  fetch_cancel();
  messageClear();
  say("superseded by version ");
  sayBytes(versionPtr(candidate), versionLength(candidate));
  reportStatus(active, Status.InstallAborted);
  store.clearProgress();
  return true;
}

/** Idle, Begin: the candidate becomes the update; INIT and the TEST steps; raises TestPassed when a download follows. */
export function beginUpdate(): bool {
  adoptCandidate();
  if (sameVersion(active, store.installedRequestVersion())) {
    messageClear();
    reportStatus(active, Status.InstalledVersion);
    return false;
  }
  if (store.isFailedVersion(active)) {
    messageClear();
    say("version ");
    sayBytes(versionPtr(active), versionLength(active));
    say(" was rolled back after failing its trial boot; apply a different version");
    reportStatus(active, Status.TestError);
    return false;
  }
  if (kindOf(active) != UpdateKind.Json && store.resumeOffered(active)) {
    raise(AgentEvent.Resume);
    return false;
  }
  messageClear();
  sayBytes(versionPtr(active), versionLength(active));
  reportStatus(active, Status.Init);
  messageClear();
  reportStatus(active, Status.Test);
  if (!runTests()) return false;
  messageClear();
  say("all checks passed");
  reportStatus(active, Status.TestSuccess);
  if (kindOf(active) == UpdateKind.Json) {
    applyJson();
    return false;
  }
  raise(AgentEvent.TestPassed);
  return false;
}

function testStep(): void {
  reportStatus(active, Status.TestStep);
}

function testError(): bool {
  reportStatus(active, Status.TestError);
  return false;
}

function runTests(): bool {
  const installed = store.installedRequestVersion();
  // Downgrade policy.
  const order = compareVersions(versionPtr(active), versionLength(active), versionPtr(installed), versionLength(installed));
  messageClear();
  say("version ");
  sayBytes(versionPtr(active), versionLength(active));
  if (order == NOT_COMPARABLE) {
    say(" and installed ");
    sayBytes(versionPtr(installed), versionLength(installed));
    say(" are not both semantic versions; no downgrade check");
  } else if (order < 0 && setting(Setting.AllowDowngrade) == 0) {
    say(" is older than installed ");
    sayBytes(versionPtr(installed), versionLength(installed));
    say(" and this device does not allow downgrades");
    return testError();
  } else {
    say(order < 0 ? " is a downgrade from installed " : " is an upgrade from installed ");
    sayBytes(versionPtr(installed), versionLength(installed));
  }
  testStep();

  if (cloudOf(active) == Cloud.Kaa && upgradableFromAt != 0 && !testUpgradableFrom(installed)) return false;

  if (isSigned(active)) {
    messageClear();
    say("a signature is present; this build does not verify signatures, the sha256 digest is the integrity check");
    testStep();
  }

  if (kindOf(active) == UpdateKind.Json) {
    messageClear();
    say("payload is a JSON object of ");
    sayNumber(jsonPayloadEnd - jsonPayloadAt);
    say(" bytes");
    testStep();
    return true;
  }

  const capacity = store.slotCapacity();
  const files = fileCount(active);
  let total: u64 = 0;
  let sizesKnown = true;
  for (let i = 0; i < files; i++) {
    const url = fileUrl(active, i);
    const urlLen = fileUrlLength(active, i);
    messageClear();
    say("file ");
    sayNumber(i + 1);
    say(" URL ");
    if (!isHttpUrl(url, urlLen)) {
      say("must start with http:// or https://: \"");
      sayBytes(url, urlLen);
      say("\"");
      return testError();
    }
    const bad = firstNonUrlByte(url, urlLen);
    if (bad >= 0) {
      // RFC 3986 URLs are printable ASCII; a NUL would end the URL early in a C host.
      say("has byte 0x");
      sayHex(url + bad, 1);
      say(" at ");
      sayNumber(bad);
      say(", which a URL cannot hold (control, space or non-ASCII)");
      return testError();
    }
    say("is http(s)");
    testStep();
    if (!fileDigestKnown(active, i) && setting(Setting.RequireDigest) != 0) {
      messageClear();
      say("file ");
      sayNumber(i + 1);
      say(" has no sha256 digest and this device requires one");
      return testError();
    }
    // A file followed by another takes whole sectors (image_store.imageEndFile).
    if (fileSizeKnown(active, i)) total += i + 1 < files ? store.fileSpan(fileSize(active, i)) : <u64>fileSize(active, i);
    else sizesKnown = false;
  }
  messageClear();
  if (sizesKnown) {
    say("image of ");
    sayNumber(total);
    say(" bytes");
    if (total > <u64>capacity) {
      say(" does not fit slot ");
      say(store.inactiveSlotName());
      say(" of ");
      sayNumber(capacity);
      say(" bytes");
      return testError();
    }
    say(" fits slot ");
  } else {
    say("size not given; checked while downloading against slot ");
  }
  say(store.inactiveSlotName());
  say(" of ");
  sayNumber(capacity);
  say(" bytes");
  testStep();
  return true;
}

function isHttpUrl(url: usize, len: i32): bool {
  return startsWith(url, len, "http://") || startsWith(url, len, "https://");
}

/** The index of the first byte outside printable ASCII (0x21–0x7e), or -1. */
function firstNonUrlByte(url: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(url + i);
    if (c <= 0x20 || c >= 0x7f) return i;
  }
  return -1;
}

/** True when the URL starts with `prefix` (lowercase ASCII), letters compared without case. */
function startsWith(ptr: usize, len: i32, prefix: string): bool {
  if (len <= prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    let c = <u32>load<u8>(ptr + i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c != <u32>prefix.charCodeAt(i)) return false;
  }
  return true;
}

function testUpgradableFrom(installed: usize): bool {
  let element = firstElement(upgradableFromAt, documentEnd);
  while (element != 0) {
    if (matchesVersion(element, installed)) {
      messageClear();
      say("installed version ");
      sayBytes(versionPtr(installed), versionLength(installed));
      say(" is in upgradableFrom");
      testStep();
      return true;
    }
    element = nextElement(element, documentEnd);
  }
  messageClear();
  say("installed version ");
  sayBytes(versionPtr(installed), versionLength(installed));
  say(" is not in upgradableFrom");
  return testError();
}

const versionScratch = memory.data(64);

function matchesVersion(stringAt: usize, installed: usize): bool {
  const len = decodeString(stringAt, documentEnd, versionScratch, 64);
  return len == versionLength(installed) && memory.compare(versionScratch, versionPtr(installed), len) == 0;
}

function applyJson(): void {
  messageClear();
  say("applying the JSON payload");
  reportStatus(active, Status.Install);
  const result = apply_json(jsonPayloadAt, <usize>(jsonPayloadEnd - jsonPayloadAt));
  messageClear();
  if (result != 0) {
    say("the application refused the JSON payload (code ");
    if (result < 0) say("-");
    sayNumber(<u64>abs(result));
    say(")");
    reportStatus(active, Status.InstallError);
    return;
  }
  say("JSON payload applied");
  reportStatus(active, Status.InstallSuccess);
}

// ---- Download

function startFetch(offset: u32): bool {
  lastActivity = now;
  const result = fetch(fileUrl(active, fileIndex), fileUrlLength(active, fileIndex), offset);
  if (result == 0) return true;
  lastError = result;
  messageClear();
  say("the host could not start a transfer (code ");
  sayNumber(<u64>abs(result));
  say(")");
  transferFailed();
  return true; // now Fetching, so that TransferFailed is handled like any other
}

/** Idle, TestPassed: DOWNLOAD, then the first file. */
export function startDownload(): bool {
  messageClear();
  say("downloading ");
  sayNumber(fileCount(active));
  say(fileCount(active) == 1 ? " file" : " files");
  reportStatus(active, Status.Download);
  attempts = 0;
  fileIndex = 0;
  fileStart = 0;
  fileReceived = 0;
  fileTotal = 0;
  const status = store.imageBegin(active);
  if (status != 0) return storageFailure(Status.DownloadError, "preparing the slot", status);
  return startFile();
}

function startFile(): bool {
  fileReceived = 0;
  fileTotal = fileSizeKnown(active, fileIndex) ? fileSize(active, fileIndex) : 0;
  nextProgressAt = 0;
  reportProgress();
  return startFetch(0);
}

/** Idle, Resume: a reset interrupted this download; continue from what the slot holds. */
export function resumeAfterReset(): bool {
  attempts = 0;
  fileIndex = store.resumeFileIndex();
  fileStart = store.resumeFileStart();
  const status = store.imageResume(active);
  if (status != 0) {
    // What the slot holds cannot be trusted: run the same update from its first byte.
    store.clearProgress();
    raise(AgentEvent.Begin);
    return false;
  }
  fileReceived = store.imageLength() - fileStart;
  fileTotal = fileSizeKnown(active, fileIndex) ? fileSize(active, fileIndex) : 0;
  messageClear();
  say("resuming file ");
  sayNumber(fileIndex + 1);
  say(" of ");
  sayNumber(fileCount(active));
  say(" at byte ");
  sayNumber(fileReceived);
  say(" after a reset");
  reportStatus(active, Status.DownloadStep);
  nextProgressAt = nextProgressThreshold();
  return startFetch(fileReceived);
}

// Why the last transfer failed, kept for the retry report and the final DOWNLOAD_ERROR.
const CAUSE_CAPACITY: i32 = 200;
const cause = memory.data(CAUSE_CAPACITY);
let causeLength: i32 = 0;

/** The message now composed becomes the cause of a failed transfer. */
function transferFailed(): void {
  causeLength = min(messageLength(), CAUSE_CAPACITY);
  memory.copy(cause, messagePtr(), causeLength);
  raise(AgentEvent.TransferFailed);
}

function sayFile(): void {
  say("file ");
  sayNumber(fileIndex + 1);
  say(" of ");
  sayNumber(fileCount(active));
}

/** Fetching, Response: check the answer against what was asked. */
export function acceptResponse(): bool {
  lastActivity = now;
  if (responseStatus != 200 && responseStatus != 206) {
    messageClear();
    say("HTTP ");
    sayNumber(<u64>abs(responseStatus));
    say(" for ");
    sayFile();
    transferFailed();
    return false;
  }
  if (responseStatus == 200 || responseRangeStart != fileReceived || (fileTotal != 0 && responseTotal != 0 && responseTotal != fileTotal && !fileSizeKnown(active, fileIndex))) {
    // The server sent the whole file (ignored Range), another range, or the content
    // changed size since the last attempt: start this file again from its first byte.
    if (responseStatus == 206 && responseRangeStart != 0) {
      messageClear();
      say("server answered with bytes from ");
      sayNumber(responseRangeStart);
      say(" when asked for ");
      sayNumber(fileReceived);
      transferFailed();
      return false;
    }
    if (fileReceived != 0) {
      const status = store.imageRewind(fileStart);
      if (status != 0) return storageFailure(Status.DownloadError, "rewinding the slot", status);
      fileReceived = 0;
      nextProgressAt = 0;
    }
  }
  if (responseTotal != 0) {
    if (fileSizeKnown(active, fileIndex) && responseTotal != fileSize(active, fileIndex)) {
      messageClear();
      say("server reports ");
      sayNumber(responseTotal);
      say(" bytes for ");
      sayFile();
      say("; the config says ");
      sayNumber(fileSize(active, fileIndex));
      return downloadFailed();
    }
    fileTotal = responseTotal;
  }
  if (fileTotal != 0 && <u64>fileStart + fileTotal > <u64>store.slotCapacity()) {
    messageClear();
    sayFile();
    say(" of ");
    sayNumber(fileTotal);
    say(" bytes does not fit slot ");
    say(store.inactiveSlotName());
    say(" (");
    sayNumber(store.slotCapacity() - fileStart);
    say(" bytes left)");
    return downloadFailed();
  }
  return true;
}

/** Fetching, DataEnd: the transfer ended before any response. */
export function transferEndedEarly(): bool {
  messageClear();
  say("transfer of ");
  sayFile();
  say(" failed before the server answered");
  transferFailed();
  return false;
}

/** Receiving, Data: one chunk into the slot. */
export function storeChunk(): bool {
  lastActivity = now;
  const len = dataLength;
  if (<u64>fileReceived + len > <u64>(fileTotal != 0 ? fileTotal : store.slotCapacity() - fileStart)) {
    messageClear();
    say("server sent more than ");
    sayNumber(fileTotal != 0 ? fileTotal : store.slotCapacity() - fileStart);
    say(" bytes for ");
    sayFile();
    fetch_cancel();
    transferFailed();
    return false;
  }
  const status = store.imageWrite(ioBuffer, len);
  if (status != 0) {
    fetch_cancel();
    return storageFailure(Status.DownloadError, "writing the slot", status);
  }
  fileReceived += len;
  store.noteProgress(active, fileIndex, fileStart);
  if (fileReceived >= nextProgressAt && fileReceived != fileTotal) reportProgress();
  return false;
}

function nextProgressThreshold(): u32 {
  if (fileTotal == 0) return (fileReceived / PROGRESS_BYTES + 1) * PROGRESS_BYTES;
  const step = max<u32>(<u32>(<u64>fileTotal * PROGRESS_PERCENT / 100), 1);
  return (fileReceived / step + 1) * step;
}

/** DOWNLOAD_STEP: file i of n, percent and bytes. Rate-limited by nextProgressAt. */
function reportProgress(): void {
  messageClear();
  say("downloading ");
  sayFile();
  say(": ");
  if (fileTotal != 0) {
    sayNumber(<u64>fileReceived * 100 / fileTotal);
    say("% (");
    sayNumber(fileReceived);
    say(" of ");
    sayNumber(fileTotal);
    say(" bytes)");
  } else {
    sayNumber(fileReceived);
    say(" bytes");
  }
  reportStatus(active, Status.DownloadStep);
  nextProgressAt = nextProgressThreshold();
}

const digest = memory.data(32);

/** Receiving, DataEnd: the file is complete, or the transfer broke off. */
export function endTransfer(): bool {
  if (!dataEndOk || (fileTotal != 0 && fileReceived < fileTotal)) {
    messageClear();
    say("transfer of ");
    sayFile();
    say(dataEndOk ? " ended early after " : " broke off after ");
    sayNumber(fileReceived);
    if (fileTotal != 0) {
      say(" of ");
      sayNumber(fileTotal);
    }
    say(" bytes");
    transferFailed();
    return false;
  }
  if (fileSizeKnown(active, fileIndex) && fileReceived != fileSize(active, fileIndex)) {
    messageClear();
    sayFile();
    say(" is ");
    sayNumber(fileReceived);
    say(" bytes; the config says ");
    sayNumber(fileSize(active, fileIndex));
    return downloadFailed();
  }
  const status = store.imageEndFile(fileStart, fileReceived, digest, fileIndex + 1 < fileCount(active));
  if (status != 0) return storageFailure(Status.DownloadError, "verifying the slot", status);
  if (fileDigestKnown(active, fileIndex) && memory.compare(digest, fileDigest(active, fileIndex), 32) != 0) {
    messageClear();
    say("sha256 of ");
    sayFile();
    say(" as read back from flash is ");
    sayHex(digest, 32);
    say("; expected ");
    sayHex(fileDigest(active, fileIndex), 32);
    // A corrupted transfer may succeed next time: the file starts again from its first byte.
    const rewound = store.imageRewind(fileStart);
    if (rewound != 0) return storageFailure(Status.DownloadError, "rewinding the slot", rewound);
    fileReceived = 0;
    transferFailed();
    return false;
  }
  fileTotal = fileReceived;
  reportProgress();
  if (fileIndex + 1 < fileCount(active)) raise(AgentEvent.FileDone);
  else raise(AgentEvent.DownloadDone);
  return false;
}

/** Fetching or Receiving, Tick: give up on a transfer that has gone quiet. */
export function checkStall(): bool {
  const quiet = now - lastActivity;
  if (quiet < setting(Setting.StallTimeoutMs)) return false;
  fetch_cancel();
  messageClear();
  say("no data for ");
  sayNumber(quiet);
  say(" ms on ");
  sayFile();
  transferFailed();
  return false;
}

/** Fetching or Receiving, TransferFailed: wait and try again, or give up after the last attempt. */
export function scheduleRetry(): bool {
  fetch_cancel();
  attempts++;
  const limit = setting(Setting.MaxAttempts);
  messageClear();
  if (attempts >= limit) {
    say("gave up after ");
    sayNumber(attempts);
    say(attempts == 1 ? " attempt: " : " attempts: ");
    sayBytes(cause, causeLength);
    return downloadFailed();
  }
  const delay = min<u64>(<u64>setting(Setting.RetryBaseMs) << (attempts - 1), <u64>setting(Setting.RetryMaxMs));
  retryAt = now + <u32>delay;
  say("attempt ");
  sayNumber(attempts);
  say(" of ");
  sayNumber(limit);
  say(" failed (");
  sayBytes(cause, causeLength);
  say("); retrying in ");
  sayNumber(delay);
  say(" ms from byte ");
  sayNumber(fileReceived);
  reportStatus(active, Status.DownloadStep);
  return true;
}

/** Backoff, Tick. */
export function retryWhenDue(): bool {
  if (<i32>(now - retryAt) >= 0) raise(AgentEvent.RetryDue);
  return false;
}

/** Backoff, RetryDue: ask again from the first byte not yet received (HTTP Range). */
export function resumeDownload(): bool {
  return startFetch(fileReceived);
}

/** Receiving, FileDone: the next file of a URL_LIST starts where the last one ended. */
export function startNextFile(): bool {
  fileIndex++;
  fileStart = store.imageLength();
  attempts = 0;
  return startFile();
}

/** DOWNLOAD_ERROR with the message composed; the update ends. */
function downloadFailed(): bool {
  fetch_cancel();
  reportStatus(active, Status.DownloadError);
  raise(AgentEvent.Failed);
  return false;
}

function storageFailure(status: Status, during: string, code: i32): bool {
  messageClear();
  say("flash error while ");
  say(during);
  say(": ");
  say(store.storageErrorText(code));
  reportStatus(active, status);
  raise(AgentEvent.Failed);
  return false;
}

/** Any state, Failed: the update is over; nothing of it is resumed after a reset. */
export function endUpdate(): bool {
  fetch_cancel();
  store.clearProgress();
  return true;
}

// ---- Install, trial boot and confirmation

/** Receiving, DownloadDone: seal the image, mark it for a trial boot, reset. */
export function install(): bool {
  messageClear();
  say("all ");
  sayNumber(fileCount(active));
  say(fileCount(active) == 1 ? " file verified" : " files verified");
  reportStatus(active, Status.DownloadSuccess);
  messageClear();
  say("installing into slot ");
  say(store.inactiveSlotName());
  reportStatus(active, Status.Install);
  const sealed = store.imageFinish(digest);
  if (sealed != 0) return storageFailure(Status.InstallError, "sealing the image", sealed);
  const marked = store.markTrial(active, digest);
  if (marked != 0) return storageFailure(Status.InstallError, "writing the boot record", marked);
  messageClear();
  say("image of ");
  sayNumber(store.imageLength());
  say(" bytes in slot ");
  say(store.inactiveSlotName());
  say(", sha256 ");
  sayHex(digest, 32);
  say(", marked for a trial boot; resetting");
  reportStatus(active, Status.InstallStep);
  store.clearProgress();
  reset();
  return true;
}

/** Trial, Healthy: the application vouches for the new image. */
export function confirmUpdate(): bool {
  const status = store.confirmTrial();
  if (status != 0) return storageFailure(Status.InstallError, "confirming the trial image", status);
  messageClear();
  say("version ");
  sayBytes(versionPtr(active), versionLength(active));
  say(" confirmed healthy in slot ");
  say(store.activeSlotName());
  reportStatus(active, Status.InstallSuccess);
  messageClear();
  reportStatus(active, Status.InstalledVersion);
  return true;
}
