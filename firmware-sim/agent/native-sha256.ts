// The agent's optional `sha256_native` import (docs/abi.md "Accelerators") as a C host does
// it: a SHA-256 outside the agent whose state lives in the agent's context bytes.
//
// Why not node:crypto: the contract needs the whole state in those bytes. The agent copies a
// context with memory.copy (the slot writer saves one to undo a failed call, and forks a file's
// hash from the image's) and expects the copy to hash on from where the original stood. A
// node:crypto Hash keeps its state inside OpenSSL, where it can be neither written into agent
// memory nor read back from it, and the host never sees the agent's copies: a Hash kept per
// `ctx` (with hash.copy()) would hash on from the wrong point after an undo and know nothing
// of a forked context. So this file computes FIPS 180-4 itself. It shares nothing with the
// agent's SHA-256 but what the standard fixes (the constants below, the padding): the layout
// of the context bytes is this file's own, the agent never reads them while the host hashes.
// Checked against node:crypto in tests/node/agent-sha256.test.ts.

import { Sha256Native, Sha256NativeResult } from "./abi.ts";

export type Sha256NativeImport = (op: number, ctx: number, ptr: number, len: number) => number;

/** The import for a host without a native hash: the agent hashes in AssemblyScript. */
export const sha256NotProvided: Sha256NativeImport = () => Sha256NativeResult.NotProvided;

// This host's layout of the context (108 of its 112 bytes): the pending block first, then the
// eight state words, the u64 byte count and how many bytes of the block are filled.
const BLOCK_SIZE = 64;
const BLOCK = 0;
const STATE = 64;
const LENGTH = 96;
const FILLED = 104;

// FIPS 180-4, 4.2.2 and 5.3.3: the round constants and the initial hash value.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const w = new Uint32Array(64);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** One 64-byte block at `at` of `bytes` into the state words at `ctx` (FIPS 180-4, 6.2.2). */
function compress(view: DataView, ctx: number, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) w[i] = (bytes[at + 4 * i] << 24) | (bytes[at + 4 * i + 1] << 16) | (bytes[at + 4 * i + 2] << 8) | bytes[at + 4 * i + 3];
  for (let i = 16; i < 64; i++) {
    const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
    const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  const h = Array.from({ length: 8 }, (_, i) => view.getUint32(ctx + STATE + 4 * i, true));
  let [a, b, c, d, e, f, g, k] = h;
  for (let i = 0; i < 64; i++) {
    const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
  }
  [a, b, c, d, e, f, g, k].forEach((value, i) => view.setUint32(ctx + STATE + 4 * i, (h[i] + value) >>> 0, true));
}

function update(memory: Uint8Array, ctx: number, ptr: number, len: number): void {
  const view = new DataView(memory.buffer);
  view.setBigUint64(ctx + LENGTH, view.getBigUint64(ctx + LENGTH, true) + BigInt(len), true);
  let filled = view.getUint32(ctx + FILLED, true);
  for (let i = 0; i < len; i++) {
    if (filled === 0 && len - i >= BLOCK_SIZE) {
      compress(view, ctx, memory, ptr + i);
      i += BLOCK_SIZE - 1;
      continue;
    }
    memory[ctx + BLOCK + filled++] = memory[ptr + i];
    if (filled === BLOCK_SIZE) {
      compress(view, ctx, memory, ctx + BLOCK);
      filled = 0;
    }
  }
  view.setUint32(ctx + FILLED, filled, true);
}

function final(memory: Uint8Array, ctx: number, out: number): void {
  const view = new DataView(memory.buffer);
  const bits = view.getBigUint64(ctx + LENGTH, true) << 3n;
  let filled = view.getUint32(ctx + FILLED, true);
  memory[ctx + BLOCK + filled++] = 0x80;
  if (filled > BLOCK_SIZE - 8) {
    memory.fill(0, ctx + BLOCK + filled, ctx + BLOCK + BLOCK_SIZE);
    compress(view, ctx, memory, ctx + BLOCK);
    filled = 0;
  }
  memory.fill(0, ctx + BLOCK + filled, ctx + BLOCK + BLOCK_SIZE - 8);
  view.setBigUint64(ctx + BLOCK + BLOCK_SIZE - 8, bits, false);
  compress(view, ctx, memory, ctx + BLOCK);
  for (let i = 0; i < 8; i++) view.setUint32(out + 4 * i, view.getUint32(ctx + STATE + 4 * i, true), false);
}

/** The import; `memory()` is the agent instance's memory. */
export function contextSha256Native(memory: () => WebAssembly.Memory): Sha256NativeImport {
  return (op, ctx, ptr, len) => {
    const bytes = new Uint8Array(memory().buffer);
    const view = new DataView(bytes.buffer);
    switch (op) {
      case Sha256Native.Probe:
        return Sha256NativeResult.Ok;
      case Sha256Native.Init:
        INITIAL.forEach((word, i) => view.setUint32(ctx + STATE + 4 * i, word, true));
        view.setBigUint64(ctx + LENGTH, 0n, true);
        view.setUint32(ctx + FILLED, 0, true);
        return Sha256NativeResult.Ok;
      case Sha256Native.Update:
      case Sha256Native.Final:
        // As the C host's check: a context Init set up has fewer than 64 bytes in its block.
        if (view.getUint32(ctx + FILLED, true) >= BLOCK_SIZE) return Sha256NativeResult.BadOperation;
        if (op === Sha256Native.Update) update(bytes, ctx, ptr, len);
        else final(bytes, ctx, ptr);
        return Sha256NativeResult.Ok;
      default:
        return Sha256NativeResult.BadOperation;
    }
  };
}
