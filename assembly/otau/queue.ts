// Events raised by handlers wait here until the current one has finished, so a
// handler never re-enters the table. A handful is the most one step ever raises.
import { AgentEvent } from "./events";

const CAPACITY: i32 = 8;
const slots = memory.data(CAPACITY);
let head: i32 = 0;
let count: i32 = 0;

/** Queues an event; returns false when the queue is full (a bug: the caller logs it). */
export function raise(event: AgentEvent): bool {
  if (count == CAPACITY) return false;
  store<u8>(slots + (head + count) % CAPACITY, <u8>event);
  count++;
  return true;
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
