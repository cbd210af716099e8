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

@final
export class Transition {
  constructor(
    readonly state: AgentState,
    readonly event: AgentEvent,
    readonly handler: Handler,
    readonly next: AgentState,
  ) {}
}

export const TRANSITIONS: StaticArray<Transition> = [
  // A new document may arrive at any time; a valid one is a Candidate (rows at the end).
  new Transition(AgentState.Any, AgentEvent.Config, takeConfig, SAME),
  new Transition(AgentState.Any, AgentEvent.Abort, abortUpdate, AgentState.Idle),
  new Transition(AgentState.Any, AgentEvent.Failed, endUpdate, AgentState.Idle),
  // Taking a config.
  new Transition(AgentState.Idle, AgentEvent.Begin, beginUpdate, SAME),
  // Downloading.
  new Transition(AgentState.Idle, AgentEvent.TestPassed, startDownload, AgentState.Fetching),
  new Transition(AgentState.Idle, AgentEvent.Resume, resumeAfterReset, AgentState.Fetching),
  new Transition(AgentState.Fetching, AgentEvent.Response, acceptResponse, AgentState.Receiving),
  new Transition(AgentState.Fetching, AgentEvent.DataEnd, transferEndedEarly, SAME),
  new Transition(AgentState.Fetching, AgentEvent.Tick, checkStall, SAME),
  new Transition(AgentState.Fetching, AgentEvent.TransferFailed, scheduleRetry, AgentState.Backoff),
  new Transition(AgentState.Receiving, AgentEvent.Data, storeChunk, SAME),
  new Transition(AgentState.Receiving, AgentEvent.DataEnd, endTransfer, SAME),
  new Transition(AgentState.Receiving, AgentEvent.Tick, checkBodyStall, SAME),
  new Transition(AgentState.Receiving, AgentEvent.TransferFailed, scheduleRetry, AgentState.Backoff),
  new Transition(AgentState.Receiving, AgentEvent.FileDone, startNextFile, AgentState.Fetching),
  new Transition(AgentState.Backoff, AgentEvent.Tick, retryWhenDue, SAME),
  new Transition(AgentState.Backoff, AgentEvent.RetryDue, resumeDownload, AgentState.Fetching),
  // Installing.
  new Transition(AgentState.Receiving, AgentEvent.DownloadDone, install, AgentState.AwaitingReset),
  new Transition(AgentState.Trial, AgentEvent.Healthy, confirmUpdate, AgentState.Idle),
  // What a valid config means in each state. Last, so that the search for the frequent
  // download events (Data, Tick) passes as few rows as possible.
  new Transition(AgentState.Idle, AgentEvent.Candidate, startUpdate, SAME),
  new Transition(AgentState.Fetching, AgentEvent.Candidate, supersedeUpdate, SAME),
  new Transition(AgentState.Receiving, AgentEvent.Candidate, supersedeUpdate, SAME),
  new Transition(AgentState.Backoff, AgentEvent.Candidate, supersedeUpdate, SAME),
  new Transition(AgentState.AwaitingReset, AgentEvent.Candidate, refuseUntilReset, SAME),
  new Transition(AgentState.Trial, AgentEvent.Candidate, refuseDuringTrial, SAME),
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

function find(event: AgentEvent): i32 {
  for (let i = 0; i < TRANSITIONS.length; i++) {
    const row = TRANSITIONS[i];
    if (row.event == event && (row.state == AgentState.Any || row.state == state)) return i;
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
  const row = TRANSITIONS[index];
  if (row.handler(a, b, c) == Next.Move && row.next != SAME) state = row.next;
}

/** Runs one host event with its arguments, then every event its handlers raised, in order. */
export function dispatch(event: AgentEvent, a: u32 = 0, b: u32 = 0, c: u32 = 0): void {
  step(event, a, b, c);
  while (hasRaised()) step(takeRaised(), 0, 0, 0);
}
