// What can happen to the engine. The first six come from the host through exports;
// the rest are raised by handlers so that every branch of an update is a row of the
// transition table (otau/machine.ts) rather than an `if` inside a handler.

export const enum AgentEvent {
  // From the host.
  Config = 0,
  Response,
  Data,
  DataEnd,
  Tick,
  Healthy,
  // Raised by handlers.
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

export const enum AgentState {
  Idle = 0,
  Fetching,
  Receiving,
  Backoff,
  AwaitingReset,
  Trial,
  /** Wildcard in a table row: any state. */
  Any,
}

export function eventName(event: AgentEvent): string {
  switch (event) {
    case AgentEvent.Config: return "Config";
    case AgentEvent.Response: return "Response";
    case AgentEvent.Data: return "Data";
    case AgentEvent.DataEnd: return "DataEnd";
    case AgentEvent.Tick: return "Tick";
    case AgentEvent.Healthy: return "Healthy";
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
