/**
 * Time as the emulated clouds see it. Everything that compares against "now" (rollout dates,
 * presigned-URL expiry, resource timestamps) reads it from a Clock, so a test can move time
 * without waiting. Transport timeouts (long-poll, stalls) stay on real timers: they model the
 * network, not the calendar.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, as soon as now() >= atMs. Returns a function that cancels it. */
  at(atMs: number, callback: () => void): () => void;
}

/** setTimeout cannot wait longer than this; longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wall-clock time. Its timers are unref'd: pending callbacks never keep the process alive. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  at(atMs: number, callback: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const wait = atMs - Date.now();
      if (wait <= 0) {
        timer = undefined;
        callback();
        return;
      }
      timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS)).unref();
    };
    // Never fire synchronously: callers may still be setting up state when they schedule.
    timer = setTimeout(arm, 0).unref();
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
  }
}

interface PendingCall {
  atMs: number;
  order: number;
  callback: () => void;
}

/** A clock that only moves when told to; due callbacks run inside advance()/set(). */
export class ManualClock implements Clock {
  private current: number;
  private pending: PendingCall[] = [];
  private nextOrder = 0;

  constructor(startMs: number = Date.UTC(2025, 0, 1)) {
    if (!Number.isFinite(startMs)) throw new RangeError(`ManualClock start time must be a finite number of ms, got ${startMs}`);
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  at(atMs: number, callback: () => void): () => void {
    const call: PendingCall = { atMs, order: this.nextOrder++, callback };
    this.pending.push(call);
    return () => {
      this.pending = this.pending.filter((c) => c !== call);
    };
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs a non-negative number of ms, got ${ms}`);
    this.set(this.current + ms);
  }

  set(timeMs: number): void {
    if (!(timeMs >= this.current)) {
      throw new RangeError(`ManualClock cannot go back in time (now ${this.current}, asked ${timeMs})`);
    }
    this.current = timeMs;
    // Callbacks may schedule more callbacks; keep draining until nothing is due.
    for (;;) {
      const due = this.pending
        .filter((c) => c.atMs <= this.current)
        .sort((a, b) => a.atMs - b.atMs || a.order - b.order);
      if (due.length === 0) return;
      const next = due[0];
      this.pending = this.pending.filter((c) => c !== next);
      next.callback();
    }
  }
}
