// What can happen to the engine. The first six come from the host through exports,
// with their arguments; the rest are raised by handlers, without arguments, so that
// every branch of an update is a row of the transition table (otau/machine.ts) rather
// than an `if` inside a handler.
import { AgentState } from "../abi";
import { Text, text } from "../text";

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

export function eventName(event: AgentEvent): Text {
  switch (event) {
    case AgentEvent.Config: return text("Config");
    case AgentEvent.Response: return text("Response");
    case AgentEvent.Data: return text("Data");
    case AgentEvent.DataEnd: return text("DataEnd");
    case AgentEvent.Tick: return text("Tick");
    case AgentEvent.Healthy: return text("Healthy");
    case AgentEvent.Candidate: return text("Candidate");
    case AgentEvent.Begin: return text("Begin");
    case AgentEvent.Resume: return text("Resume");
    case AgentEvent.Abort: return text("Abort");
    case AgentEvent.TestPassed: return text("TestPassed");
    case AgentEvent.TransferFailed: return text("TransferFailed");
    case AgentEvent.RetryDue: return text("RetryDue");
    case AgentEvent.FileDone: return text("FileDone");
    case AgentEvent.DownloadDone: return text("DownloadDone");
    default: return text("Failed");
  }
}

export function stateName(state: AgentState): Text {
  switch (state) {
    case AgentState.Idle: return text("Idle");
    case AgentState.Fetching: return text("Fetching");
    case AgentState.Receiving: return text("Receiving");
    case AgentState.Backoff: return text("Backoff");
    case AgentState.AwaitingReset: return text("AwaitingReset");
    case AgentState.Trial: return text("Trial");
    default: return text("Any");
  }
}
