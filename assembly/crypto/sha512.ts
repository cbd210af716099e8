// SHA-512 (FIPS 180-4), streaming, one context in the I/O buffer's work area: Ed25519
// verification hashes R || A || M with it (RFC 8032 5.1.7). No allocation; not re-entrant.

import { SCRATCH_SHA512 } from "../io";

export const SHA512_DIGEST_SIZE: usize = 64;
const BLOCK_SIZE: usize = 128;

// The round constants as immediates in code rather than 640 bytes of data: the agent's
// linear memory is what a board's memory limit counts, and SHA-512 runs two blocks per
// verification, so a branch table costs nothing that matters.
function roundConstant(i: u32): u64 {
  switch (i) {
    case 0: return 0x428a2f98d728ae22;
    case 1: return 0x7137449123ef65cd;
    case 2: return 0xb5c0fbcfec4d3b2f;
    case 3: return 0xe9b5dba58189dbbc;
    case 4: return 0x3956c25bf348b538;
    case 5: return 0x59f111f1b605d019;
    case 6: return 0x923f82a4af194f9b;
    case 7: return 0xab1c5ed5da6d8118;
    case 8: return 0xd807aa98a3030242;
    case 9: return 0x12835b0145706fbe;
    case 10: return 0x243185be4ee4b28c;
    case 11: return 0x550c7dc3d5ffb4e2;
    case 12: return 0x72be5d74f27b896f;
    case 13: return 0x80deb1fe3b1696b1;
    case 14: return 0x9bdc06a725c71235;
    case 15: return 0xc19bf174cf692694;
    case 16: return 0xe49b69c19ef14ad2;
    case 17: return 0xefbe4786384f25e3;
    case 18: return 0x0fc19dc68b8cd5b5;
    case 19: return 0x240ca1cc77ac9c65;
    case 20: return 0x2de92c6f592b0275;
    case 21: return 0x4a7484aa6ea6e483;
    case 22: return 0x5cb0a9dcbd41fbd4;
    case 23: return 0x76f988da831153b5;
    case 24: return 0x983e5152ee66dfab;
    case 25: return 0xa831c66d2db43210;
    case 26: return 0xb00327c898fb213f;
    case 27: return 0xbf597fc7beef0ee4;
    case 28: return 0xc6e00bf33da88fc2;
    case 29: return 0xd5a79147930aa725;
    case 30: return 0x06ca6351e003826f;
    case 31: return 0x142929670a0e6e70;
    case 32: return 0x27b70a8546d22ffc;
    case 33: return 0x2e1b21385c26c926;
    case 34: return 0x4d2c6dfc5ac42aed;
    case 35: return 0x53380d139d95b3df;
    case 36: return 0x650a73548baf63de;
    case 37: return 0x766a0abb3c77b2a8;
    case 38: return 0x81c2c92e47edaee6;
    case 39: return 0x92722c851482353b;
    case 40: return 0xa2bfe8a14cf10364;
    case 41: return 0xa81a664bbc423001;
    case 42: return 0xc24b8b70d0f89791;
    case 43: return 0xc76c51a30654be30;
    case 44: return 0xd192e819d6ef5218;
    case 45: return 0xd69906245565a910;
    case 46: return 0xf40e35855771202a;
    case 47: return 0x106aa07032bbd1b8;
    case 48: return 0x19a4c116b8d2d0c8;
    case 49: return 0x1e376c085141ab53;
    case 50: return 0x2748774cdf8eeb99;
    case 51: return 0x34b0bcb5e19b48a8;
    case 52: return 0x391c0cb3c5c95a63;
    case 53: return 0x4ed8aa4ae3418acb;
    case 54: return 0x5b9cca4f7763e373;
    case 55: return 0x682e6ff3d6b2b8a3;
    case 56: return 0x748f82ee5defb2fc;
    case 57: return 0x78a5636f43172f60;
    case 58: return 0x84c87814a1f0ab72;
    case 59: return 0x8cc702081a6439ec;
    case 60: return 0x90befffa23631e28;
    case 61: return 0xa4506cebde82bde9;
    case 62: return 0xbef9a3f7b2c67915;
    case 63: return 0xc67178f2e372532b;
    case 64: return 0xca273eceea26619c;
    case 65: return 0xd186b8c721c0c207;
    case 66: return 0xeada7dd6cde0eb1e;
    case 67: return 0xf57d4f7fee6ed178;
    case 68: return 0x06f067aa72176fba;
    case 69: return 0x0a637dc5a2c898a6;
    case 70: return 0x113f9804bef90dae;
    case 71: return 0x1b710b35131c471b;
    case 72: return 0x28db77f523047d84;
    case 73: return 0x32caab7b40c72493;
    case 74: return 0x3c9ebe0a15c9bebc;
    case 75: return 0x431d67c49c100d4c;
    case 76: return 0x4cc5d4becb3e42b6;
    case 77: return 0x597f299cfc657e2a;
    case 78: return 0x5fcb6fab3ad6faec;
    case 79: return 0x6c44198c4a475817;
  }
  return 0;
}

// In the I/O buffer's work area (io.ts): state 64, block 128, schedule 128 bytes.
const state: usize = SCRATCH_SHA512;
const block: usize = SCRATCH_SHA512 + 64;
const W: usize = block + BLOCK_SIZE; // the message schedule, 16 words kept rolling
let filled: usize = 0;
let length: u64 = 0; // bytes hashed so far (messages under 2^61 bytes)

export function sha512Init(): void {
  store<u64>(state, 0x6a09e667f3bcc908, 0);
  store<u64>(state, 0xbb67ae8584caa73b, 8);
  store<u64>(state, 0x3c6ef372fe94f82b, 16);
  store<u64>(state, 0xa54ff53a5f1d36f1, 24);
  store<u64>(state, 0x510e527fade682d1, 32);
  store<u64>(state, 0x9b05688c2b3e6c1f, 40);
  store<u64>(state, 0x1f83d9abfb41bd6b, 48);
  store<u64>(state, 0x5be0cd19137e2179, 56);
  filled = 0;
  length = 0;
}

export function sha512Update(data: usize, len: usize): void {
  length += <u64>len;
  while (len > 0) {
    const take = min(BLOCK_SIZE - filled, len);
    memory.copy(block + filled, data, take);
    filled += take;
    data += take;
    len -= take;
    if (filled == BLOCK_SIZE) {
      compress();
      filled = 0;
    }
  }
}

/** Pads, finishes and writes the 64-byte digest to `out`. */
export function sha512Final(out: usize): void {
  const bitLength = length << 3;
  store<u8>(block + filled++, 0x80);
  if (filled > BLOCK_SIZE - 16) {
    memory.fill(block + filled, 0, BLOCK_SIZE - filled);
    compress();
    filled = 0;
  }
  memory.fill(block + filled, 0, BLOCK_SIZE - 8 - filled);
  store<u64>(block + BLOCK_SIZE - 8, bswap<u64>(bitLength));
  compress();
  for (let i: usize = 0; i < 64; i += 8) store<u64>(out + i, bswap<u64>(load<u64>(state + i)));
}

function compress(): void {
  let a = load<u64>(state, 0);
  let b = load<u64>(state, 8);
  let c = load<u64>(state, 16);
  let d = load<u64>(state, 24);
  let e = load<u64>(state, 32);
  let f = load<u64>(state, 40);
  let g = load<u64>(state, 48);
  let h = load<u64>(state, 56);
  for (let i: u32 = 0; i < 80; i++) {
    const slot = W + (<usize>(i & 15) << 3);
    let w: u64;
    if (i < 16) {
      w = bswap<u64>(load<u64>(block + (<usize>i << 3)));
    } else {
      const w15 = load<u64>(W + (<usize>((i - 15) & 15) << 3));
      const w2 = load<u64>(W + (<usize>((i - 2) & 15) << 3));
      const s0 = rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >> 7);
      const s1 = rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >> 6);
      w = load<u64>(slot) + s0 + load<u64>(W + (<usize>((i - 7) & 15) << 3)) + s1;
    }
    store<u64>(slot, w);
    const t1 = h + (rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41)) + ((e & f) ^ (~e & g)) + roundConstant(i) + w;
    const t2 = (rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  store<u64>(state, load<u64>(state, 0) + a, 0);
  store<u64>(state, load<u64>(state, 8) + b, 8);
  store<u64>(state, load<u64>(state, 16) + c, 16);
  store<u64>(state, load<u64>(state, 24) + d, 24);
  store<u64>(state, load<u64>(state, 32) + e, 32);
  store<u64>(state, load<u64>(state, 40) + f, 40);
  store<u64>(state, load<u64>(state, 48) + g, 48);
  store<u64>(state, load<u64>(state, 56) + h, 56);
}
