// The OTAU state machine as data: rows of state × event → handler → next state,
// searched in order, first match wins; `Any` matches every state. The state changes
// to `next` only when the handler returns true (`Any` as next: stay). Events that no
// row takes are logged and dropped, never acted on.
import { LogLevel, logText } from "../host";
import { AgentEvent, AgentState, eventName, stateName } from "./events";
import { clearRaised, hasRaised, takeRaised } from "./queue";
import {
  abortUpdate, acceptConfig, acceptResponse, beginUpdate, checkStall, confirmUpdate, endTransfer, endUpdate,
  install, resumeAfterReset, resumeDownload, retryWhenDue, scheduleRetry, startDownload, startNextFile, storeChunk, transferEndedEarly,
} from "./engine";

let state: AgentState = AgentState.Idle;

@final
export class Transition {
  constructor(
    readonly state: AgentState,
    readonly event: AgentEvent,
    readonly handler: () => bool,
    readonly next: AgentState,
  ) {}
}

export const TRANSITIONS: StaticArray<Transition> = [
  // A new document may arrive at any time; acceptConfig raises Abort and Begin as needed.
  new Transition(AgentState.Any, AgentEvent.Config, acceptConfig, AgentState.Any),
  new Transition(AgentState.Any, AgentEvent.Abort, abortUpdate, AgentState.Idle),
  new Transition(AgentState.Any, AgentEvent.Failed, endUpdate, AgentState.Idle),
  new Transition(AgentState.Idle, AgentEvent.Begin, beginUpdate, AgentState.Idle),
  new Transition(AgentState.Idle, AgentEvent.TestPassed, startDownload, AgentState.Fetching),
  new Transition(AgentState.Idle, AgentEvent.Resume, resumeAfterReset, AgentState.Fetching),
  new Transition(AgentState.Fetching, AgentEvent.Response, acceptResponse, AgentState.Receiving),
  new Transition(AgentState.Fetching, AgentEvent.DataEnd, transferEndedEarly, AgentState.Fetching),
  new Transition(AgentState.Fetching, AgentEvent.Tick, checkStall, AgentState.Fetching),
  new Transition(AgentState.Fetching, AgentEvent.TransferFailed, scheduleRetry, AgentState.Backoff),
  new Transition(AgentState.Receiving, AgentEvent.Data, storeChunk, AgentState.Receiving),
  new Transition(AgentState.Receiving, AgentEvent.DataEnd, endTransfer, AgentState.Receiving),
  new Transition(AgentState.Receiving, AgentEvent.Tick, checkStall, AgentState.Receiving),
  new Transition(AgentState.Receiving, AgentEvent.TransferFailed, scheduleRetry, AgentState.Backoff),
  new Transition(AgentState.Receiving, AgentEvent.FileDone, startNextFile, AgentState.Fetching),
  new Transition(AgentState.Receiving, AgentEvent.DownloadDone, install, AgentState.AwaitingReset),
  new Transition(AgentState.Backoff, AgentEvent.Tick, retryWhenDue, AgentState.Backoff),
  new Transition(AgentState.Backoff, AgentEvent.RetryDue, resumeDownload, AgentState.Fetching),
  new Transition(AgentState.Trial, AgentEvent.Healthy, confirmUpdate, AgentState.Idle),
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

function step(event: AgentEvent): void {
  const index = find(event);
  if (index < 0) {
    if (event != AgentEvent.Tick) {
      logText(LogLevel.Debug, eventName(event), " ignored in ", stateName(state));
    }
    return;
  }
  taken |= <u64>1 << <u64>index;
  const row = TRANSITIONS[index];
  if (row.handler() && row.next != AgentState.Any) state = row.next;
}

/** Runs one host event and then every event its handlers raised, in order. */
export function dispatch(event: AgentEvent): void {
  step(event);
  while (hasRaised()) step(takeRaised());
}

