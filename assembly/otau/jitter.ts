// Retry delays with jitter, so that devices that failed together (a server outage, a
// broken link) do not come back together. The agent has no randomness of its own: the
// host passes a seed (Setting.JitterSeed: a hardware random number, or a hash of the
// device identity); xorshift32 draws from it. Seed 0: no jitter, every delay exact.
import { Setting } from "../abi";
import { setting } from "./settings";

let state: u32 = 0;

function next(): u32 {
  if (state == 0) state = setting(Setting.JitterSeed);
  let x = state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  state = x;
  return x;
}

/** `delay` shortened by a random part of up to half of it ("equal jitter"); `delay` itself without a seed. */
export function jittered(delay: u32): u32 {
  if (setting(Setting.JitterSeed) == 0 || delay < 2) return delay;
  return delay - next() % (delay / 2 + 1);
}
