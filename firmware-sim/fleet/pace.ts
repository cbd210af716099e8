// The two paces a fleet runs at. "fast" is the simulator's demo pace: 20 ms ticks, retries
// 100 ms to 1 s apart, a silent transfer dropped after 1.5 s, a 5 s cool-down; it shows a
// small fleet in seconds and keeps up to about 2,500 devices on this kind of machine.
// "field" is what a deployed fleet runs: the agent's own defaults (docs/abi.md: retries 1 s
// to 60 s apart, a transfer dropped after 30 s of silence), a tick every 500 ms and a
// one-minute cool-down, so that a host too busy to read its sockets for a few seconds is
// not taken for a stalled server.
import { Setting } from "../agent/agent-instance.ts";
import { FAST_SETTINGS } from "../device/loopback-device.ts";

export type PaceName = "fast" | "field";
export const PACE_NAMES: readonly PaceName[] = ["fast", "field"];

export interface Pace {
  /** Agent settings over the simulator's fast ones (FAST_SETTINGS). */
  settings: Record<number, number>;
  tickMs: number;
}

export const PACES: Record<PaceName, Pace> = {
  fast: {
    settings: { ...(FAST_SETTINGS as Record<number, number>), [Setting.RetryCooldownMs]: 5000 },
    tickMs: 20,
  },
  field: {
    settings: {
      [Setting.MaxAttempts]: 5,
      [Setting.RetryBaseMs]: 1000,
      [Setting.RetryMaxMs]: 60_000,
      [Setting.StallTimeoutMs]: 30_000,
      [Setting.RetryCooldownMs]: 60_000,
    },
    tickMs: 500,
  },
};

/** "fast" → "20 ms ticks, stall 1.5 s, retries 0.1–1 s, 5 attempts, cool-down 5 s". */
export function describePace(pace: Pace): string {
  const s = pace.settings;
  const sec = (ms: number | undefined) => `${(ms ?? 0) / 1000} s`;
  return `${pace.tickMs} ms ticks, stall ${sec(s[Setting.StallTimeoutMs])}, retries ${sec(s[Setting.RetryBaseMs])}–${sec(s[Setting.RetryMaxMs])}, ${s[Setting.MaxAttempts]} attempts, cool-down ${sec(s[Setting.RetryCooldownMs])}`;
}
