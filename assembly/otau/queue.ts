// Events raised by handlers wait here until the current one has finished, so a
// handler never re-enters the table. A handful is the most one step ever raises
// (Candidate, then Abort and Begin); a full queue would be a bug in the table, so an
// event that does not fit is logged and counted, never silently lost.
import { LogLevel } from "../abi";
import { logText } from "../host";
import { text } from "../text";
import { AgentEvent, eventName } from "./events";

const CAPACITY: i32 = 8;
const slots = memory.data(CAPACITY);
let head: i32 = 0;
let count: i32 = 0;
let dropped: u32 = 0;

export function raise(event: AgentEvent): void {
  if (count == CAPACITY) {
    dropped++;
    logText(LogLevel.Error, text("event queue full, dropped "), eventName(event));
    return;
  }
  store<u8>(slots + (head + count) % CAPACITY, <u8>event);
  count++;
}

/** Events dropped because the queue was full, since the agent started. */
export function raisedDropped(): u32 {
  return dropped;
}

export function hasRaised(): bool {
  return count > 0;
}

export function takeRaised(): AgentEvent {
  const event = <AgentEvent>load<u8>(slots + head);
  head = (head + 1) % CAPACITY;
  count--;
  return event;
}

export function clearRaised(): void {
  head = 0;
  count = 0;
}
