// The host's millisecond clock as of its last on_tick (docs/abi.md): handlers that start or
// watch a transfer stamp it, and Tick's handlers compare against it. Idle ticks move it too,
// so a transfer that starts after a quiet spell is not taken for a stalled one.

let now: u32 = 0;

export function clockAdvance(ms: u32): void {
  now = ms;
}

export function clockNow(): u32 {
  return now;
}
