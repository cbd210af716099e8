// Streaming SHA-256 (FIPS 180-4) over caller-owned memory, with no allocation:
// a context is a fixed-size block of static memory the caller reserves with
// `memory.data(SHA256_CONTEXT_SIZE)`. Any chunking of the input gives the same digest.
// When the host offers a native SHA-256 (the `sha256_native` import) every hash goes to
// it: ~20x fewer instructions under wasm3. This code is the portable default.
import { Sha256Native, Sha256NativeResult } from "../abi";
import { sha256_native } from "../host";

export const SHA256_DIGEST_SIZE: usize = 32;
export const SHA256_BLOCK_SIZE: usize = 64;

// Context layout: working state, message length so far, bytes waiting in the block buffer.
const STATE: usize = 0; // 8 x u32
const LENGTH: usize = 32; // u64, bytes hashed so far
const FILLED: usize = 40; // u32, bytes in BLOCK
const BLOCK: usize = 48; // 64 bytes
export const SHA256_CONTEXT_SIZE: usize = BLOCK + SHA256_BLOCK_SIZE;

const K = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL_STATE = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

// The message schedule is shared: compression is never re-entered.
const W = memory.data(64 * 4, 16);

const NATIVE_UNKNOWN: i32 = 0;
const NATIVE_YES: i32 = 1;
const NATIVE_NO: i32 = 2;
let native = NATIVE_UNKNOWN;

/** Asks the host once, at the first hash, and keeps the answer: every context uses one path. */
function hostHashes(): bool {
  if (native == NATIVE_UNKNOWN) native = sha256_native(Sha256Native.Probe, 0, 0, 0) == Sha256NativeResult.Ok ? NATIVE_YES : NATIVE_NO;
  return native == NATIVE_YES;
}

export function sha256Init(ctx: usize): void {
  if (hostHashes()) {
    sha256_native(Sha256Native.Init, ctx, 0, 0);
    return;
  }
  memory.copy(ctx + STATE, INITIAL_STATE, 32);
  store<u64>(ctx + LENGTH, 0);
  store<u32>(ctx + FILLED, 0);
}

export function sha256Update(ctx: usize, data: usize, len: usize): void {
  if (hostHashes()) {
    sha256_native(Sha256Native.Update, ctx, data, len);
    return;
  }
  store<u64>(ctx + LENGTH, load<u64>(ctx + LENGTH) + <u64>len);
  let filled = <usize>load<u32>(ctx + FILLED);
  if (filled > 0) {
    const take = min(SHA256_BLOCK_SIZE - filled, len);
    memory.copy(ctx + BLOCK + filled, data, take);
    filled += take;
    data += take;
    len -= take;
    if (filled < SHA256_BLOCK_SIZE) {
      store<u32>(ctx + FILLED, <u32>filled);
      return;
    }
    compress(ctx + STATE, ctx + BLOCK);
  }
  // Whole blocks straight from the caller's memory: no copy on the hot path.
  while (len >= SHA256_BLOCK_SIZE) {
    compress(ctx + STATE, data);
    data += SHA256_BLOCK_SIZE;
    len -= SHA256_BLOCK_SIZE;
  }
  memory.copy(ctx + BLOCK, data, len);
  store<u32>(ctx + FILLED, <u32>len);
}

/** Pads, finishes and writes the 32-byte digest to `out`. The context must be re-initialised before reuse. */
export function sha256Final(ctx: usize, out: usize): void {
  if (hostHashes()) {
    sha256_native(Sha256Native.Final, ctx, out, SHA256_DIGEST_SIZE);
    return;
  }
  const bitLength = load<u64>(ctx + LENGTH) << 3;
  let filled = <usize>load<u32>(ctx + FILLED);
  const block = ctx + BLOCK;
  store<u8>(block + filled++, 0x80);
  if (filled > SHA256_BLOCK_SIZE - 8) {
    memory.fill(block + filled, 0, SHA256_BLOCK_SIZE - filled);
    compress(ctx + STATE, block);
    filled = 0;
  }
  memory.fill(block + filled, 0, SHA256_BLOCK_SIZE - 8 - filled);
  store<u64>(block + SHA256_BLOCK_SIZE - 8, bswap<u64>(bitLength));
  compress(ctx + STATE, block);
  for (let i: usize = 0; i < 8; i++) {
    store<u32>(out + (i << 2), bswap<u32>(load<u32>(ctx + STATE + (i << 2))));
  }
}

// @inline keeps the round functions out of the call path: wasm3 pays per call.
// @ts-ignore: decorator
@inline function bigSigma0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
// @ts-ignore: decorator
@inline function bigSigma1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
// @ts-ignore: decorator
@inline function smallSigma0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
// @ts-ignore: decorator
@inline function smallSigma1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }

function compress(state: usize, block: usize): void {
  for (let i: usize = 0; i < 16; i++) {
    store<u32>(W + (i << 2), bswap<u32>(load<u32>(block + (i << 2))));
  }
  for (let i: usize = 16; i < 64; i++) {
    const w = W + ((i - 16) << 2); // w[i-16], with w[i-15], w[i-7], w[i-2] at fixed offsets
    store<u32>(w, smallSigma1(load<u32>(w, 56)) + load<u32>(w, 36) + smallSigma0(load<u32>(w, 4)) + load<u32>(w), 64);
  }
  let a = load<u32>(state, 0);
  let b = load<u32>(state, 4);
  let c = load<u32>(state, 8);
  let d = load<u32>(state, 12);
  let e = load<u32>(state, 16);
  let f = load<u32>(state, 20);
  let g = load<u32>(state, 24);
  let h = load<u32>(state, 28);
  for (let i: usize = 0; i < 256; i += 4) {
    const t1 = h + bigSigma1(e) + ((e & f) ^ (~e & g)) + load<u32>(K + i) + load<u32>(W + i);
    const t2 = bigSigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  store<u32>(state, load<u32>(state, 0) + a, 0);
  store<u32>(state, load<u32>(state, 4) + b, 4);
  store<u32>(state, load<u32>(state, 8) + c, 8);
  store<u32>(state, load<u32>(state, 12) + d, 12);
  store<u32>(state, load<u32>(state, 16) + e, 16);
  store<u32>(state, load<u32>(state, 20) + f, 20);
  store<u32>(state, load<u32>(state, 24) + g, 24);
  store<u32>(state, load<u32>(state, 28) + h, 28);
}
