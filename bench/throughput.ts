// Wall-clock throughput, best of N with the contenders interleaved, so that a burst of
// load on the machine hurts all of them alike rather than whichever ran at the time.
import { expectDigest } from "./bench-failure.ts";

export interface TimedHash {
  digest: string;
  seconds: number;
}

export interface Contender {
  key: string;
  name: string;
  hash(): TimedHash;
}

export interface Throughput {
  name: string;
  seconds: number[];
  bestSeconds: number;
  /** Decimal megabytes (10^6 bytes) per second of the best run. */
  mbPerSecond: number;
}

/** Times `hash` with the process clock (for contenders that run inside this process). */
export function timedHere(hash: () => string): TimedHash {
  const start = process.hrtime.bigint();
  const digest = hash();
  return { digest, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export function bestOfInterleaved(
  contenders: Contender[],
  repetitions: number,
  bytes: number,
  expectedDigest: string,
): Record<string, Throughput> {
  const seconds = new Map(contenders.map((contender) => [contender.key, [] as number[]]));
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const contender of contenders) {
      const run = contender.hash();
      expectDigest(`${contender.name} (repetition ${repetition})`, run.digest, expectedDigest);
      seconds.get(contender.key)!.push(run.seconds);
    }
  }
  return Object.fromEntries(
    contenders.map((contender) => {
      const all = seconds.get(contender.key)!;
      const bestSeconds = Math.min(...all);
      return [contender.key, { name: contender.name, seconds: all, bestSeconds, mbPerSecond: bytes / bestSeconds / 1e6 }];
    }),
  );
}
