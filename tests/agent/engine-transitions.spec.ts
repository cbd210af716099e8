// Every row of the transition table (assembly/otau/machine.ts), driven through the
// agent's exports as a host would: the row's state and event, the handler's effect
// (statuses, fetches, cancels, resets) and the next state. The last spec checks that
// every row of TRANSITIONS was taken by one of them, so a new row without a spec fails.
import {
  bootloader_check_images, bootloader_check_result, bootloader_check_size, bootloader_decide, boot, configure, on_data, on_data_end, on_healthy, on_response, on_tick,
} from "../../assembly/index";
import { AgentState, Setting } from "../../assembly/abi";
import { AgentEvent } from "../../assembly/otau/events";
import {
  TRANSITION_COUNT, clearTransitionsTaken, currentState, transitionEvent, transitionState, transitionsTaken,
} from "../../assembly/otau/machine";
import {
  cancelCount, chunkAt, deliver, effectsClear, fetchCount, fetchOffset, freshDevice, patternSha256Hex, report, reportCount,
  resetCount,
} from "./engine-host";

const MURANO = 0;
// Each file is chunkAt's pattern from byte 0; the digests let the agent verify it.
const FILE_CONFIG = "{\"version\":\"1.1.0\",\"name\":\"fw\",\"type\":\"FILE\",\"payload\":\"http://files.test/fw.bin\",\"size\":20000," +
  "\"sha256\":\"" + patternSha256Hex(20000) + "\"}";
const LIST_CONFIG = "{\"version\":\"1.1.0\",\"name\":\"fw\",\"type\":\"URL_LIST\",\"payload\":[\"http://a/1\",\"http://a/2\"],\"size\":[100,200]," +
  "\"sha256\":[\"" + patternSha256Hex(100) + "\",\"" + patternSha256Hex(200) + "\"]}";

let covered: u64 = 0;

function rowOf(state: AgentState, event: AgentEvent): i32 {
  for (let i = 0; i < TRANSITION_COUNT; i++) {
    if (transitionState(i) == state && transitionEvent(i) == event) return i;
  }
  return -1;
}

/** Expects that the row for (state, event) exists and was taken since the last clearTransitionsTaken(). */
function expectTaken(state: AgentState, event: AgentEvent): void {
  const row = rowOf(state, event);
  expect(row).toBeGreaterThanOrEqual(0, "the table has this row");
  const taken = transitionsTaken();
  covered |= taken;
  expect(<i32>((taken >> <u64>row) & 1)).toBe(1, "the row was taken");
}

/** Feeds `len` bytes of the file from `offset` in I/O-buffer-sized chunks. */
function feed(offset: u32, len: u32): void {
  for (let at: u32 = 0; at < len; at += 4096) {
    const n = min<u32>(4096, len - at);
    chunkAt(offset + at, n);
    expect(on_data(n)).toBe(0);
  }
}

function startFileUpdate(): void {
  freshDevice();
  deliver(MURANO, FILE_CONFIG);
  expect(currentState()).toBe(AgentState.Fetching);
}

function startReceiving(received: u32): void {
  startFileUpdate();
  on_response(200, 0, 20000);
  feed(0, received);
  expect(currentState()).toBe(AgentState.Receiving);
}

/** Downloads and installs the list update; it then awaits its reset. */
function installListUpdate(): void {
  freshDevice();
  deliver(MURANO, LIST_CONFIG);
  on_response(200, 0, 100);
  feed(0, 100);
  on_data_end(1);
  on_response(200, 0, 200);
  feed(0, 200);
  on_data_end(1);
  expect(currentState()).toBe(AgentState.AwaitingReset);
}

/** Installs the list update and reboots into its trial. */
function bootIntoTrial(): void {
  installListUpdate();
  expect(bootloader_decide()).toBe(2);
  effectsClear();
  expect(boot()).toBe(0);
}

describe("transition table", () => {
  beforeEach(() => {
    configure(Setting.StallTimeoutMs, 30000);
    on_tick(0);
  });

  it("Any × Config: a refused document is reported and leaves the state alone, idle or mid-download", () => {
    freshDevice();
    clearTransitionsTaken();
    deliver(MURANO, "{\"version\":\"2.0.0\"}");
    expectTaken(AgentState.Any, AgentEvent.Config);
    expect(report(-1)).toBe("{\"version\":\"2.0.0\",\"status\":\"TEST_ERROR\",\"message\":\"config_otau: field \\\"name\\\" is required\"}");
    expect(currentState()).toBe(AgentState.Idle);
    startReceiving(4096);
    deliver(MURANO, "[]");
    expect(currentState()).toBe(AgentState.Receiving);
  });

  it("Idle × Candidate: a valid config starts an update (Begin)", () => {
    freshDevice();
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG);
    expectTaken(AgentState.Idle, AgentEvent.Candidate);
    expectTaken(AgentState.Idle, AgentEvent.Begin);
    expect(currentState()).toBe(AgentState.Fetching);
  });

  it("Fetching × Candidate: the same update again carries on without a new fetch or report", () => {
    startFileUpdate();
    const fetches = fetchCount();
    const before = reportCount();
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG);
    expectTaken(AgentState.Fetching, AgentEvent.Candidate);
    expect(fetchCount()).toBe(fetches);
    expect(reportCount()).toBe(before);
    expect(currentState()).toBe(AgentState.Fetching);
  });

  it("Receiving × Candidate: the same update again keeps receiving", () => {
    startReceiving(4096);
    const before = reportCount();
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG);
    expectTaken(AgentState.Receiving, AgentEvent.Candidate);
    expect(reportCount()).toBe(before);
    expect(currentState()).toBe(AgentState.Receiving);
  });

  it("Backoff × Candidate: another version while waiting to retry aborts the old update and starts the new one", () => {
    startFileUpdate();
    on_response(503, 0, 0);
    expect(currentState()).toBe(AgentState.Backoff);
    const before = reportCount();
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG.replace("1.1.0", "1.2.0"));
    expectTaken(AgentState.Backoff, AgentEvent.Candidate);
    expect(report(before)).toBe("{\"version\":\"1.1.0\",\"status\":\"INSTALL_ABORTED\",\"message\":\"superseded by version 1.2.0\"}");
    expect(currentState()).toBe(AgentState.Fetching);
  });

  it("AwaitingReset × Candidate: another version is refused until the installed one is settled", () => {
    installListUpdate();
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG.replace("1.1.0", "1.2.0"));
    expectTaken(AgentState.AwaitingReset, AgentEvent.Candidate);
    expect(report(-1)).toBe("{\"version\":\"1.2.0\",\"status\":\"TEST_ERROR\",\"message\":\"version 1.1.0 is installed and waiting for its reset; a new update can start once it is confirmed or rolled back\"}");
    expect(currentState()).toBe(AgentState.AwaitingReset);
  });

  it("Trial × Candidate: the trial version's own config changes nothing; another is refused", () => {
    bootIntoTrial();
    const before = reportCount();
    clearTransitionsTaken();
    deliver(MURANO, LIST_CONFIG);
    expectTaken(AgentState.Trial, AgentEvent.Candidate);
    expect(reportCount()).toBe(before);
    deliver(MURANO, FILE_CONFIG.replace("1.1.0", "1.2.0"));
    expect(report(-1)).toBe("{\"version\":\"1.2.0\",\"status\":\"TEST_ERROR\",\"message\":\"version 1.1.0 is on trial boot; a new update can start once it is confirmed or rolled back\"}");
    expect(currentState()).toBe(AgentState.Trial);
  });

  it("Any × Abort: a new config mid-download cancels the transfer and reports INSTALL_ABORTED for the old version", () => {
    startReceiving(4096);
    const cancels = cancelCount();
    clearTransitionsTaken();
    const before = reportCount();
    deliver(MURANO, FILE_CONFIG.replace("1.1.0", "1.2.0"));
    expectTaken(AgentState.Any, AgentEvent.Abort);
    expect(report(before)).toBe("{\"version\":\"1.1.0\",\"status\":\"INSTALL_ABORTED\",\"message\":\"superseded by version 1.2.0\"}");
    expect(cancelCount()).toBeGreaterThan(cancels);
    expect(currentState()).toBe(AgentState.Fetching, "the new update has started");
  });

  it("Any × Failed: DOWNLOAD_ERROR ends the update and returns to Idle", () => {
    startFileUpdate();
    clearTransitionsTaken();
    on_response(200, 0, 19999);
    expectTaken(AgentState.Any, AgentEvent.Failed);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_ERROR\",\"message\":\"server reports 19999 bytes for file 1 of 1; the config says 20000\"}");
    expect(currentState()).toBe(AgentState.Idle);
  });

  it("Idle × Begin: a config for the installed version answers INSTALLED_VERSION and stays Idle", () => {
    freshDevice();
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG.replace("1.1.0", "1.0.0"));
    expectTaken(AgentState.Idle, AgentEvent.Begin);
    expect(report(-1)).toBe("{\"version\":\"1.0.0\",\"status\":\"INSTALLED_VERSION\",\"message\":\"\"}");
    expect(fetchCount()).toBe(0);
    expect(currentState()).toBe(AgentState.Idle);
  });

  it("Idle × TestPassed: DOWNLOAD, the first progress step and a fetch from byte 0; Fetching", () => {
    freshDevice();
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG);
    expectTaken(AgentState.Idle, AgentEvent.TestPassed);
    expect(report(-2)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD\",\"message\":\"downloading 1 file\"}");
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"downloading file 1 of 1: 0% (0 of 20000 bytes)\"}");
    expect(fetchCount()).toBe(1);
    expect(fetchOffset(0)).toBe(0);
    expect(currentState()).toBe(AgentState.Fetching);
  });

  it("Idle × Resume: after a reset the same config continues the download from the saved progress", () => {
    startReceiving(20000 - 4);
    effectsClear();
    expect(boot()).toBe(0); // a reset before the transfer ended
    clearTransitionsTaken();
    deliver(MURANO, FILE_CONFIG);
    expectTaken(AgentState.Idle, AgentEvent.Resume);
    expect(fetchCount()).toBe(1);
    const offset = fetchOffset(0);
    expect(offset).toBeGreaterThanOrEqual(16384);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"resuming file 1 of 1 at byte " + offset.toString() + " after a reset\"}");
    expect(currentState()).toBe(AgentState.Fetching);
  });

  it("Fetching × Response: an answer that matches the request moves to Receiving", () => {
    startFileUpdate();
    clearTransitionsTaken();
    on_response(200, 0, 20000);
    expectTaken(AgentState.Fetching, AgentEvent.Response);
    expect(currentState()).toBe(AgentState.Receiving);
  });

  it("Fetching × DataEnd: a transfer ending before any answer is a failed attempt (Backoff)", () => {
    startFileUpdate();
    clearTransitionsTaken();
    on_data_end(0);
    expectTaken(AgentState.Fetching, AgentEvent.DataEnd);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"attempt 1 of 5 failed (transfer of file 1 of 1 failed before the server answered); retrying in 1000 ms from byte 0\"}");
    expect(currentState()).toBe(AgentState.Backoff);
  });

  it("Fetching × Tick: quiet for less than the stall timeout changes nothing; at the timeout it is a failed attempt", () => {
    startFileUpdate();
    clearTransitionsTaken();
    on_tick(29999);
    expectTaken(AgentState.Fetching, AgentEvent.Tick);
    expect(currentState()).toBe(AgentState.Fetching);
    on_tick(30000);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"attempt 1 of 5 failed (no data for 30000 ms on file 1 of 1); retrying in 1000 ms from byte 0\"}");
    expect(currentState()).toBe(AgentState.Backoff);
  });

  it("Fetching × TransferFailed: an HTTP error schedules a retry (Backoff)", () => {
    startFileUpdate();
    clearTransitionsTaken();
    on_response(503, 0, 0);
    expectTaken(AgentState.Fetching, AgentEvent.TransferFailed);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"attempt 1 of 5 failed (HTTP 503 for file 1 of 1); retrying in 1000 ms from byte 0\"}");
    expect(currentState()).toBe(AgentState.Backoff);
  });

  it("Receiving × Data: chunks go to the slot with progress every 5%, not per chunk", () => {
    startReceiving(0);
    const before = reportCount();
    clearTransitionsTaken();
    feed(0, 1000);
    expectTaken(AgentState.Receiving, AgentEvent.Data);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"downloading file 1 of 1: 5% (1000 of 20000 bytes)\"}");
    feed(1000, 10);
    feed(1010, 10);
    expect(reportCount()).toBe(before + 1, "no step for chunks within the same 5%");
    expect(currentState()).toBe(AgentState.Receiving);
  });

  it("Receiving × DataEnd: a body that ends short of its length is a failed attempt", () => {
    startReceiving(8192);
    clearTransitionsTaken();
    on_data_end(1);
    expectTaken(AgentState.Receiving, AgentEvent.DataEnd);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"attempt 1 of 5 failed (transfer of file 1 of 1 ended early after 8192 of 20000 bytes); retrying in 1000 ms from byte 8192\"}");
    expect(currentState()).toBe(AgentState.Backoff);
  });

  it("Receiving × Tick: a stalled body is cancelled and retried from the byte reached", () => {
    startReceiving(4096);
    const cancels = cancelCount();
    clearTransitionsTaken();
    on_tick(40000);
    expectTaken(AgentState.Receiving, AgentEvent.Tick);
    expect(cancelCount()).toBeGreaterThan(cancels);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"attempt 1 of 5 failed (no data for 40000 ms on file 1 of 1); retrying in 1000 ms from byte 4096\"}");
    expect(currentState()).toBe(AgentState.Backoff);
  });

  it("Receiving × TransferFailed: a broken body schedules a retry (Backoff)", () => {
    startReceiving(4096);
    clearTransitionsTaken();
    on_data_end(0);
    expectTaken(AgentState.Receiving, AgentEvent.TransferFailed);
    expect(currentState()).toBe(AgentState.Backoff);
  });

  it("Receiving × FileDone: the next file of a URL_LIST is fetched from its first byte", () => {
    freshDevice();
    deliver(MURANO, LIST_CONFIG);
    on_response(200, 0, 100);
    feed(0, 100);
    clearTransitionsTaken();
    on_data_end(1);
    expectTaken(AgentState.Receiving, AgentEvent.FileDone);
    expect(fetchCount()).toBe(2);
    expect(fetchOffset(1)).toBe(0);
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_STEP\",\"message\":\"downloading file 2 of 2: 0% (0 of 200 bytes)\"}");
    expect(currentState()).toBe(AgentState.Fetching);
  });

  it("Receiving × DownloadDone: DOWNLOAD_SUCCESS, INSTALL, the trial armed and a reset asked for", () => {
    startReceiving(19996);
    chunkAt(19996, 4);
    on_data(4);
    clearTransitionsTaken();
    on_data_end(1);
    expectTaken(AgentState.Receiving, AgentEvent.DownloadDone);
    expect(report(-3)).toBe("{\"version\":\"1.1.0\",\"status\":\"DOWNLOAD_SUCCESS\",\"message\":\"all 1 file verified\"}");
    expect(report(-2)).toBe("{\"version\":\"1.1.0\",\"status\":\"INSTALL\",\"message\":\"installing into slot B\"}");
    expect(report(-1).startsWith("{\"version\":\"1.1.0\",\"status\":\"INSTALL_STEP\",\"message\":\"image of 20000 bytes in slot B, sha256 ")).toBe(true);
    expect(resetCount()).toBe(1);
    expect(currentState()).toBe(AgentState.AwaitingReset);
  });

  it("Backoff × Tick: nothing happens before the retry is due", () => {
    startFileUpdate();
    on_response(503, 0, 0);
    clearTransitionsTaken();
    on_tick(999);
    expectTaken(AgentState.Backoff, AgentEvent.Tick);
    expect(fetchCount()).toBe(1);
    expect(currentState()).toBe(AgentState.Backoff);
  });

  it("Backoff × RetryDue: when due, the file is fetched again from the byte reached", () => {
    startReceiving(8192);
    on_data_end(0);
    clearTransitionsTaken();
    on_tick(1000);
    expectTaken(AgentState.Backoff, AgentEvent.RetryDue);
    expect(fetchCount()).toBe(2);
    expect(fetchOffset(1)).toBe(8192);
    expect(currentState()).toBe(AgentState.Fetching);
  });

  it("Trial × Healthy: INSTALL_SUCCESS then INSTALLED_VERSION, and Idle", () => {
    bootIntoTrial();
    expect(currentState()).toBe(AgentState.Trial);
    clearTransitionsTaken();
    on_healthy();
    expectTaken(AgentState.Trial, AgentEvent.Healthy);
    expect(report(-2)).toBe("{\"version\":\"1.1.0\",\"status\":\"INSTALL_SUCCESS\",\"message\":\"version 1.1.0 confirmed healthy in slot B\"}");
    expect(report(-1)).toBe("{\"version\":\"1.1.0\",\"status\":\"INSTALLED_VERSION\",\"message\":\"\"}");
    expect(currentState()).toBe(AgentState.Idle);
  });

  it("a trial the bootloader's image check refused is reported at start-up as refused, naming why, then the installed version", () => {
    installListUpdate();
    bootloader_check_images(1);
    expect(bootloader_decide()).toBe(0x102);
    expect(bootloader_check_size()).toBe(4096 + 200); // the second file starts at the next sector
    expect(bootloader_check_result(2, 21, 0)).toBe(0);
    expect(bootloader_decide()).toBe(0x101);
    expect(bootloader_check_result(1, 0, 0)).toBe(0);
    expect(bootloader_check_result(3, 0, 0)).toBe(-3);
    expect(bootloader_decide()).toBe(1);
    bootloader_check_images(0);
    effectsClear();
    expect(boot()).toBe(0);
    expect(report(-2)).toBe("{\"version\":\"1.1.0\",\"status\":\"INSTALL_ERROR\",\"message\":\"version 1.1.0 was refused by the bootloader: ED25519 signature does not verify; rolled back to 1.0.0\"}");
    expect(report(-1)).toBe("{\"version\":\"1.0.0\",\"status\":\"INSTALLED_VERSION\",\"message\":\"\"}");
  });

  it("an event no row takes is dropped: nothing reported, state unchanged", () => {
    freshDevice();
    const before = reportCount();
    clearTransitionsTaken();
    on_healthy();
    on_data(10);
    on_data_end(1);
    on_response(200, 0, 10);
    expect(transitionsTaken() == 0).toBe(true, "no row taken");
    expect(reportCount()).toBe(before);
    expect(currentState()).toBe(AgentState.Idle);
  });

  it("every row of TRANSITIONS was taken by a spec above", () => {
    expect(TRANSITION_COUNT).toBeLessThan(64);
    let missing = "";
    for (let i = 0; i < TRANSITION_COUNT; i++) {
      if (((covered >> <u64>i) & 1) == 0) missing += "row " + i.toString() + " ";
    }
    expect(missing).toBe("", "rows without a spec");
  });
});
