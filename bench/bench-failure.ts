/** A measurement the bench cannot trust or cannot take: run.ts prints its message and exits 1. */
export class BenchFailure extends Error {
  override name = "BenchFailure";
}

/** Every digest the bench sees must equal node:crypto's for the same bytes. */
export function expectDigest(what: string, actual: string, expected: string): void {
  if (actual !== expected) {
    throw new BenchFailure(`${what} gave SHA-256 ${actual || "(nothing)"}, node:crypto gives ${expected}`);
  }
}
