// What can happen to the engine. The first six come from the host through exports,
// with their arguments; the rest are raised by handlers, without arguments, so that
// every branch of an update is a row of the transition table (otau/machine.ts) rather
// than an `if` inside a handler.
import { AgentState } from "../abi";

export const enum AgentEvent {
  // From the host.
  Config = 0,
  Response,
  Data,
  DataEnd,
  Tick,
  Healthy,
  // Raised by handlers.
  /** A valid config is in `candidate`; what it means depends on the state. */
  Candidate,
  Begin,
  Resume,
  Abort,
  TestPassed,
  TransferFailed,
  RetryDue,
  FileDone,
  DownloadDone,
  Failed,
}

/** What a handler tells the table: stay in the state, or move to the row's next state. */
export const enum Next {
  Stay = 0,
  Move = 1,
}

/**
 * Every handler takes the event's arguments (docs/abi.md: on_config's source and length,
 * on_response's status, range start and total, on_data's length, on_data_end's ok,
 * on_tick's time) and ignores those its event does not have: raised events carry none.
 */
export type Handler = (a: u32, b: u32, c: u32) => Next;

export function eventName(event: AgentEvent): string {
  switch (event) {
    case AgentEvent.Config: return "Config";
    case AgentEvent.Response: return "Response";
    case AgentEvent.Data: return "Data";
    case AgentEvent.DataEnd: return "DataEnd";
    case AgentEvent.Tick: return "Tick";
    case AgentEvent.Healthy: return "Healthy";
    case AgentEvent.Candidate: return "Candidate";
    case AgentEvent.Begin: return "Begin";
    case AgentEvent.Resume: return "Resume";
    case AgentEvent.Abort: return "Abort";
    case AgentEvent.TestPassed: return "TestPassed";
    case AgentEvent.TransferFailed: return "TransferFailed";
    case AgentEvent.RetryDue: return "RetryDue";
    case AgentEvent.FileDone: return "FileDone";
    case AgentEvent.DownloadDone: return "DownloadDone";
    default: return "Failed";
  }
}

export function stateName(state: AgentState): string {
  switch (state) {
    case AgentState.Idle: return "Idle";
    case AgentState.Fetching: return "Fetching";
    case AgentState.Receiving: return "Receiving";
    case AgentState.Backoff: return "Backoff";
    case AgentState.AwaitingReset: return "AwaitingReset";
    case AgentState.Trial: return "Trial";
    default: return "Any";
  }
}
