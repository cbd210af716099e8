// Arithmetic modulo p = 2^255 - 19 for Ed25519 verification, on static memory.
// An element is ten signed 32-bit limbs in radix 2^25.5 (26, 25, 26, 25 ... bits; limb i
// weighs 2^ceil(25.5 i)), so that a product of two limbs plus the sums of a row fits an i64
// and reduction is a multiply by 19 (2^255 = 19 mod p). Limbs are kept signed and
// "reduced" (|limb| <= ~2^25 for 26-bit limbs, ~2^24 for 25-bit ones) by mul, sq and carry;
// add and sub do not carry, so an input of mul or sq may be a sum or difference of at most
// three reduced elements (the 64-bit sums then stay below 2^63). Not constant-time: a
// verifier handles public data only.

import { SCRATCH_FIELD } from "../io";

export const FE_SIZE: usize = 40;

// Scratch for the exponentiations and the byte conversions (never re-entered), in the I/O
// buffer's work area (io.ts): 200 bytes.
const t0: usize = SCRATCH_FIELD;
const t1: usize = SCRATCH_FIELD + FE_SIZE;
const t2: usize = SCRATCH_FIELD + 2 * FE_SIZE;
const t3: usize = SCRATCH_FIELD + 3 * FE_SIZE;
const bytes40: usize = SCRATCH_FIELD + 4 * FE_SIZE;

// @ts-ignore: decorator
@inline function limb(f: usize, i: usize): i64 {
  return <i64>load<i32>(f + (i << 2));
}

/** Bit position of limb i: ceil(25.5 * i). */
// @ts-ignore: decorator
@inline function limbShift(i: usize): u32 {
  return (51 * <u32>i + 1) >> 1;
}

// @ts-ignore: decorator
@inline function limbBits(i: usize): u32 {
  return (i & 1) == 0 ? 26 : 25;
}

export function feZero(h: usize): void {
  memory.fill(h, 0, FE_SIZE);
}

export function feOne(h: usize): void {
  memory.fill(h, 0, FE_SIZE);
  store<i32>(h, 1);
}

export function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, FE_SIZE);
}

export function feAdd(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < FE_SIZE; i += 4) store<i32>(h + i, load<i32>(f + i) + load<i32>(g + i));
}

export function feSub(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < FE_SIZE; i += 4) store<i32>(h + i, load<i32>(f + i) - load<i32>(g + i));
}

export function feNeg(h: usize, f: usize): void {
  for (let i: usize = 0; i < FE_SIZE; i += 4) store<i32>(h + i, -load<i32>(f + i));
}

/**
 * Carries ten 64-bit column sums into reduced limbs and stores them at h. Each carry is
 * rounded to the nearest so a limb ends centred on zero; the carry out of the top limb
 * comes back into limb 0 times 19, and limb 0 carries once more.
 */
// @ts-ignore: decorator
@inline function carryStore(h: usize, h0: i64, h1: i64, h2: i64, h3: i64, h4: i64, h5: i64, h6: i64, h7: i64, h8: i64, h9: i64): void {
  let c: i64;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  c = (h1 + (1 << 24)) >> 25; h2 += c; h1 -= c << 25;
  c = (h2 + (1 << 25)) >> 26; h3 += c; h2 -= c << 26;
  c = (h3 + (1 << 24)) >> 25; h4 += c; h3 -= c << 25;
  c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
  c = (h5 + (1 << 24)) >> 25; h6 += c; h5 -= c << 25;
  c = (h6 + (1 << 25)) >> 26; h7 += c; h6 -= c << 26;
  c = (h7 + (1 << 24)) >> 25; h8 += c; h7 -= c << 25;
  c = (h8 + (1 << 25)) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + (1 << 24)) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** Brings the limbs of a sum or difference back to the reduced range. */
export function feCarry(h: usize, f: usize): void {
  carryStore(h, limb(f, 0), limb(f, 1), limb(f, 2), limb(f, 3), limb(f, 4), limb(f, 5), limb(f, 6), limb(f, 7), limb(f, 8), limb(f, 9));
}

/**
 * h = f * g. Limb products f_i g_j land at limb i + j; when i and j are both odd the
 * positions add up to one bit more (factor 2), and from limb 10 on they wrap with a
 * factor 19. h may alias f or g: every limb is read before the first store.
 */
export function feMul(h: usize, f: usize, g: usize): void {
  const f0 = limb(f, 0), f1 = limb(f, 1), f2 = limb(f, 2), f3 = limb(f, 3), f4 = limb(f, 4);
  const f5 = limb(f, 5), f6 = limb(f, 6), f7 = limb(f, 7), f8 = limb(f, 8), f9 = limb(f, 9);
  const g0 = limb(g, 0), g1 = limb(g, 1), g2 = limb(g, 2), g3 = limb(g, 3), g4 = limb(g, 4);
  const g5 = limb(g, 5), g6 = limb(g, 6), g7 = limb(g, 7), g8 = limb(g, 8), g9 = limb(g, 9);
  const f1_2 = f1 << 1, f3_2 = f3 << 1, f5_2 = f5 << 1, f7_2 = f7 << 1, f9_2 = f9 << 1;
  const g1_19 = g1 * 19, g2_19 = g2 * 19, g3_19 = g3 * 19, g4_19 = g4 * 19, g5_19 = g5 * 19;
  const g6_19 = g6 * 19, g7_19 = g7 * 19, g8_19 = g8 * 19, g9_19 = g9 * 19;
  const h0 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  const h1 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  const h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  const h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  const h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  const h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  const h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  const h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  const h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  const h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f^2: feMul's sum with each cross product f_i f_j (i < j) counted once, doubled. */
export function feSq(h: usize, f: usize): void {
  const f0 = limb(f, 0), f1 = limb(f, 1), f2 = limb(f, 2), f3 = limb(f, 3), f4 = limb(f, 4);
  const f5 = limb(f, 5), f6 = limb(f, 6), f7 = limb(f, 7), f8 = limb(f, 8), f9 = limb(f, 9);
  const f0_2 = f0 << 1, f1_2 = f1 << 1, f2_2 = f2 << 1, f3_2 = f3 << 1, f4_2 = f4 << 1;
  const f5_2 = f5 << 1, f6_2 = f6 << 1, f7_2 = f7 << 1, f8_2 = f8 << 1;
  const f6_19 = f6 * 19, f7_19 = f7 * 19, f8_19 = f8 * 19, f9_19 = f9 * 19;
  const f5_38 = f5 * 38, f7_38 = f7 * 38, f9_38 = f9 * 38;
  const h0 = f0 * f0 + f1_2 * f9_38 + f2_2 * f8_19 + f3_2 * f7_38 + f4_2 * f6_19 + f5 * f5_38;
  const h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  const h2 = f0_2 * f2 + f1 * f1_2 + f3_2 * f9_38 + f4_2 * f8_19 + f5_2 * f7_38 + f6 * f6_19;
  const h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  const h4 = f0_2 * f4 + f1_2 * f3_2 + f2 * f2 + f5_2 * f9_38 + f6_2 * f8_19 + f7 * f7_38;
  const h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  const h6 = f0_2 * f6 + f1_2 * f5_2 + f2_2 * f4 + f3 * f3_2 + f7_2 * f9_38 + f8 * f8_19;
  const h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  const h8 = f0_2 * f8 + f1_2 * f7_2 + f2_2 * f6 + f3_2 * f5_2 + f4 * f4 + f9 * f9_38;
  const h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f^(2^n), n >= 1. */
function feSqTimes(h: usize, f: usize, n: i32): void {
  feSq(h, f);
  for (let i = 1; i < n; i++) feSq(h, h);
}

/**
 * Shared ladder of both exponentiations: t3 = z^(2^250 - 1), t0 = z^11 (the chain of
 * squarings and products by z^(2^k - 1) that every p = 2^255 - 19 implementation uses).
 */
function powTwo250Minus1(z: usize): void {
  feSq(t0, z); //                     z^2
  feSqTimes(t1, t0, 2); //            z^8
  feMul(t1, z, t1); //                z^9
  feMul(t0, t0, t1); //               z^11
  feSq(t2, t0); //                    z^22
  feMul(t1, t1, t2); //               z^31 = z^(2^5 - 1)
  feSqTimes(t2, t1, 5);
  feMul(t1, t2, t1); //               2^10 - 1
  feSqTimes(t2, t1, 10);
  feMul(t2, t2, t1); //               2^20 - 1
  feSqTimes(t3, t2, 20);
  feMul(t2, t3, t2); //               2^40 - 1
  feSqTimes(t2, t2, 10);
  feMul(t1, t2, t1); //               2^50 - 1 (in t1)
  feSqTimes(t2, t1, 50);
  feMul(t2, t2, t1); //               2^100 - 1
  feSqTimes(t3, t2, 100);
  feMul(t3, t3, t2); //               2^200 - 1
  feSqTimes(t3, t3, 50);
  feMul(t3, t3, t1); //               2^250 - 1
}

/** h = 1/z = z^(p - 2) = z^((2^250 - 1) * 2^5 + 11); 0 maps to 0. */
export function feInvert(h: usize, z: usize): void {
  powTwo250Minus1(z);
  feSqTimes(t3, t3, 5);
  feMul(h, t3, t0);
}

/** h = z^((p - 5) / 8) = z^((2^250 - 1) * 4 + 1): the square-root candidate's exponent. */
export function fePowP58(h: usize, z: usize): void {
  powTwo250Minus1(z);
  feSqTimes(t3, t3, 2);
  feMul(h, t3, z);
}

/** Loads 32 little-endian bytes; bit 255 (the sign of x in a point encoding) is ignored, and a value of p or more is taken mod p. */
export function feFromBytes(h: usize, s: usize): void {
  memory.copy(bytes40, s, 32);
  store<u64>(bytes40 + 32, 0);
  for (let i: usize = 0; i < 10; i++) {
    const shift = limbShift(i);
    const word = load<u64>(bytes40 + (shift >> 3)) >> (shift & 7);
    store<i32>(h + (i << 2), <i32>(word & ((1 << limbBits(i)) - 1)));
  }
}

/** The canonical value (0 <= v < p) of f as 32 little-endian bytes. */
export function feToBytes(s: usize, f: usize): void {
  const h = t0;
  feCopy(h, f);
  // Floor carries until nothing leaves the top limb: every limb then lies in [0, 2^bits)
  // and the value in [0, 2^255). Each round trips on at most a few units.
  let top: i32;
  do {
    let c: i32 = 0;
    for (let i: usize = 0; i < 10; i++) {
      const bits = limbBits(i);
      const v = load<i32>(h + (i << 2)) + c;
      c = v >> bits;
      store<i32>(h + (i << 2), v - (c << bits));
    }
    top = c;
    store<i32>(h, load<i32>(h) + 19 * top);
  } while (top != 0);
  // Values in [p, 2^255) have every limb at its maximum except limb 0 >= 2^26 - 19.
  let atLeastP = load<i32>(h) >= (1 << 26) - 19;
  for (let i: usize = 1; i < 10 && atLeastP; i++) atLeastP = load<i32>(h + (i << 2)) == (1 << limbBits(i)) - 1;
  if (atLeastP) {
    store<i32>(h, load<i32>(h) - ((1 << 26) - 19));
    for (let i: usize = 1; i < 10; i++) store<i32>(h + (i << 2), 0);
  }
  let acc: u64 = 0;
  let accBits: u32 = 0;
  let out = s;
  for (let i: usize = 0; i < 10; i++) {
    acc |= (<u64>load<u32>(h + (i << 2))) << accBits;
    accBits += limbBits(i);
    while (accBits >= 8) {
      store<u8>(out++, <u8>acc);
      acc >>= 8;
      accBits -= 8;
    }
  }
  store<u8>(out, <u8>acc); // the last 7 bits: limb 9 ends at bit 255
}

/** Low bit of the canonical value: the "sign" of x in a point encoding. */
export function feIsNegative(f: usize): bool {
  feToBytes(bytes40, f);
  return (load<u8>(bytes40) & 1) != 0;
}

export function feIsZero(f: usize): bool {
  feToBytes(bytes40, f);
  return load<u64>(bytes40) == 0 && load<u64>(bytes40, 8) == 0 && load<u64>(bytes40, 16) == 0 && load<u64>(bytes40, 24) == 0;
}

/** Equal as elements (both canonical encodings compared). */
export function feEqual(f: usize, g: usize): bool {
  feSub(t1, f, g);
  return feIsZero(t1);
}
