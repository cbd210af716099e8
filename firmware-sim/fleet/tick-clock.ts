// One timer for every device of a process. Each simulated device asks its clock for a tick
// every 20 ms and for retry and reboot delays; with a setTimeout each, 2,000 devices keep
// 2,000 timers in libuv's heap and wake the loop for each. This clock keeps the callbacks
// in its own heap, rounded up to a slot, and arms one timer for the earliest slot: devices
// whose ticks fall in the same slot run in one loop turn.
import type { Clock } from "../clock.ts";

interface Entry {
  atMs: number;
  order: number;
  callback: (() => void) | undefined;
}

export class SharedTickClock implements Clock {
  private readonly heap: Entry[] = [];
  private nextOrder = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  /** `slotMs`: callbacks are run at most this late, so that neighbours share a wake-up. */
  constructor(private readonly slotMs = 5) {}

  now(): number {
    return Date.now();
  }

  at(atMs: number, callback: () => void): () => void {
    const slot = Math.ceil(atMs / this.slotMs) * this.slotMs;
    const entry: Entry = { atMs: slot, order: this.nextOrder++, callback };
    this.push(entry);
    this.arm();
    return () => {
      entry.callback = undefined;
    };
  }

  /** Callbacks waiting (cancelled ones included until their slot comes). */
  get pending(): number {
    return this.heap.length;
  }

  private arm(): void {
    const first = this.heap[0];
    if (!first || first.atMs >= this.armedFor) return;
    clearTimeout(this.timer);
    this.armedFor = first.atMs;
    // Never synchronous (at least one loop turn), as SystemClock; unref'd, as SystemClock.
    // The callbacks run in the loop's check phase, after the I/O that is ready: in a busy
    // process, a tick run first would find a download's bytes still unread in the socket
    // and take the process's own lateness for a stalled server.
    this.timer = setTimeout(() => setImmediate(() => this.run()).unref(), Math.max(0, first.atMs - Date.now())).unref();
  }

  private run(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    // Only what was queued before this turn: a callback that schedules "now" runs next turn.
    const last = this.nextOrder;
    while (this.heap.length > 0 && this.heap[0].atMs <= now && this.heap[0].order < last) {
      const entry = this.pop();
      const callback = entry.callback;
      entry.callback = undefined;
      callback?.();
    }
    this.arm();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
}
