// The OTAU state machine as data: rows of state × event → handler → next state,
// searched in order, first match wins; `Any` matches every state. A handler gets the
// event's arguments and answers Next.Move to go to the row's next state or Next.Stay;
// rows whose handler never moves say SAME. Events that no row takes are logged and
// dropped, never acted on.
import { AgentState, LogLevel } from "../abi";
import { logText } from "../host";
import { startDownload, resumeAfterReset, startNextFile } from "./download";
import { AgentEvent, Handler, Next, eventName, stateName } from "./events";
import { endUpdate } from "./failure";
import { confirmUpdate, install } from "./install";
import {
  abortUpdate, beginUpdate, refuseDuringTrial, refuseUntilReset, startUpdate, supersedeUpdate, takeConfig,
} from "./intake";
import { clearRaised, hasRaised, takeRaised } from "./queue";
import { checkBodyStall, endTransfer, storeChunk } from "./receive";
import { acceptResponse, transferEndedEarly } from "./response";
import { checkStall, resumeDownload, retryWhenDue, scheduleRetry } from "./retry";
import { text } from "../text";

let state: AgentState = AgentState.Idle;

/** As a row's next state: the handler never moves. */
const SAME = AgentState.Any;

/**
 * The table, a row per line: state | event << 8 | next state << 16, then the handler. Only
 * constants, so it is static data; rows built at start-up would be start code that wasm3
 * compiles and runs at every boot. A handler of the wrong type traps when its row is taken,
 * and every row is taken by a spec (tests/agent/engine-transitions.spec.ts).
 */
export const TRANSITIONS: StaticArray<u32> = [
  // A new document may arrive at any time; a valid one is a Candidate (rows at the end).
  AgentState.Any           | AgentEvent.Config << 8         | SAME << 16,                     changetype<u32>(takeConfig),
  AgentState.Any           | AgentEvent.Abort << 8          | AgentState.Idle << 16,          changetype<u32>(abortUpdate),
  AgentState.Any           | AgentEvent.Failed << 8         | AgentState.Idle << 16,          changetype<u32>(endUpdate),
  // Taking a config.
  AgentState.Idle          | AgentEvent.Begin << 8          | SAME << 16,                     changetype<u32>(beginUpdate),
  // Downloading.
  AgentState.Idle          | AgentEvent.TestPassed << 8     | AgentState.Fetching << 16,      changetype<u32>(startDownload),
  AgentState.Idle          | AgentEvent.Resume << 8         | AgentState.Fetching << 16,      changetype<u32>(resumeAfterReset),
  AgentState.Fetching      | AgentEvent.Response << 8       | AgentState.Receiving << 16,     changetype<u32>(acceptResponse),
  AgentState.Fetching      | AgentEvent.DataEnd << 8        | SAME << 16,                     changetype<u32>(transferEndedEarly),
  AgentState.Fetching      | AgentEvent.Tick << 8           | SAME << 16,                     changetype<u32>(checkStall),
  AgentState.Fetching      | AgentEvent.TransferFailed << 8 | AgentState.Backoff << 16,       changetype<u32>(scheduleRetry),
  AgentState.Receiving     | AgentEvent.Data << 8           | SAME << 16,                     changetype<u32>(storeChunk),
  AgentState.Receiving     | AgentEvent.DataEnd << 8        | SAME << 16,                     changetype<u32>(endTransfer),
  AgentState.Receiving     | AgentEvent.Tick << 8           | SAME << 16,                     changetype<u32>(checkBodyStall),
  AgentState.Receiving     | AgentEvent.TransferFailed << 8 | AgentState.Backoff << 16,       changetype<u32>(scheduleRetry),
  AgentState.Receiving     | AgentEvent.FileDone << 8       | AgentState.Fetching << 16,      changetype<u32>(startNextFile),
  AgentState.Backoff       | AgentEvent.Tick << 8           | SAME << 16,                     changetype<u32>(retryWhenDue),
  AgentState.Backoff       | AgentEvent.RetryDue << 8       | AgentState.Fetching << 16,      changetype<u32>(resumeDownload),
  // Installing.
  AgentState.Receiving     | AgentEvent.DownloadDone << 8   | AgentState.AwaitingReset << 16, changetype<u32>(install),
  AgentState.Trial         | AgentEvent.Healthy << 8        | AgentState.Idle << 16,          changetype<u32>(confirmUpdate),
  // What a valid config means in each state. Last, so that the search for the frequent
  // download events (Data, Tick) passes as few rows as possible.
  AgentState.Idle          | AgentEvent.Candidate << 8      | SAME << 16,                     changetype<u32>(startUpdate),
  AgentState.Fetching      | AgentEvent.Candidate << 8      | SAME << 16,                     changetype<u32>(supersedeUpdate),
  AgentState.Receiving     | AgentEvent.Candidate << 8      | SAME << 16,                     changetype<u32>(supersedeUpdate),
  AgentState.Backoff       | AgentEvent.Candidate << 8      | SAME << 16,                     changetype<u32>(supersedeUpdate),
  AgentState.AwaitingReset | AgentEvent.Candidate << 8      | SAME << 16,                     changetype<u32>(refuseUntilReset),
  AgentState.Trial         | AgentEvent.Candidate << 8      | SAME << 16,                     changetype<u32>(refuseDuringTrial),
];

// One bit per row taken since clearTransitionsTaken(): lets the transition specs check
// that every row of the table is exercised (the table has fewer than 64 rows).
let taken: u64 = 0;

export function transitionsTaken(): u64 {
  return taken;
}

export function clearTransitionsTaken(): void {
  taken = 0;
}

export function currentState(): AgentState {
  return state;
}

/** Sets the state at boot (from the boot record); clears anything queued. */
export function resetMachine(initial: AgentState): void {
  state = initial;
  clearRaised();
}

/** Rows in the table. */
export const TRANSITION_COUNT = TRANSITIONS.length >> 1;

export function transitionState(row: i32): AgentState {
  return <AgentState>(TRANSITIONS[row << 1] & 0xff);
}

export function transitionEvent(row: i32): AgentEvent {
  return <AgentEvent>(TRANSITIONS[row << 1] >> 8 & 0xff);
}

// Runs for every event (each download chunk): the row index stays inside the table.
function find(event: AgentEvent): i32 {
  for (let i = 0; i < TRANSITION_COUNT; i++) {
    const match = unchecked(TRANSITIONS[i << 1]);
    const rowState = <AgentState>(match & 0xff);
    if (<AgentEvent>(match >> 8 & 0xff) == event && (rowState == AgentState.Any || rowState == state)) return i;
  }
  return -1;
}

function step(event: AgentEvent, a: u32, b: u32, c: u32): void {
  const index = find(event);
  if (index < 0) {
    if (event != AgentEvent.Tick) {
      logText(LogLevel.Debug, eventName(event), text(" ignored in "), stateName(state));
    }
    return;
  }
  taken |= <u64>1 << <u64>index;
  const next = <AgentState>(unchecked(TRANSITIONS[index << 1]) >> 16);
  const handler = changetype<Handler>(unchecked(TRANSITIONS[(index << 1) + 1]));
  if (handler(a, b, c) == Next.Move && next != SAME) state = next;
}

/** Runs one host event with its arguments, then every event its handlers raised, in order. */
export function dispatch(event: AgentEvent, a: u32 = 0, b: u32 = 0, c: u32 = 0): void {
  step(event, a, b, c);
  while (hasRaised()) step(takeRaised(), 0, 0, 0);
}
