// Ed25519 signature verification (RFC 8032 5.1.7), on static memory, no allocation.
// Checks [S]B = R + [k]A by computing [S]B + [k](-A) with both scalars in width-3
// signed sliding windows (odd multiples 1A, 3A and 1B, 3B) over one shared chain of
// doublings, then compares the result's encoding with R's bytes. Width 3 rather than 4:
// the tables are half the size (the working memory lives in the I/O buffer's work area,
// io.ts) for about 8 % more additions.
// Points are in extended twisted Edwards coordinates (X:Y:Z:T), x = X/Z, y = Y/Z,
// xy = T/Z, with the a = -1 formulas of Hisil, Wong, Carter and Dawson (2008).
// Acceptance follows what OpenSSL (node:crypto) decides, the reference our differential
// test holds it to: S must be below L, A's y is taken mod p, R is compared as bytes
// (so a non-canonical R never matches), no cofactor.
import {
  FE_SIZE, feAdd, feCarry, feEqual, feFromBytes, feInvert, feIsNegative, feIsZero,
  feMul, feNeg, feOne, fePowP58, feSq, feSub, feToBytes, feZero,
} from "./field25519";
import { sha512Final, sha512Init, sha512Update } from "./sha512";
import { SCRATCH_ED25519 } from "../io";
import { ed25519_native } from "../host";
import { Ed25519NativeResult } from "../abi";

export const ED25519_PUBLIC_KEY_SIZE: usize = 32;
export const ED25519_SIGNATURE_SIZE: usize = 64;

const D = memory.data<u8>([
  0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
  0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52,
]);
const D2 = memory.data<u8>([
  0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83, 0x82, 0x9a, 0x14, 0xe0, 0x00,
  0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80, 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24,
]);
const SQRT_M1 = memory.data<u8>([
  0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
  0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
]);
// The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L = memory.data<u8>([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
]);
// The base point's encoding: y = 4/5, x even.
const BASE_Y: u8 = 0x66;
const BASE_Y0: u8 = 0x58;

// A point: X, Y, Z, T. A cached point (an addend): Y+X, Y-X, 2Z, 2dT.
const POINT_SIZE: usize = 4 * FE_SIZE;
const X: usize = 0;
const Y: usize = FE_SIZE;
const Z: usize = 2 * FE_SIZE;
const T: usize = 3 * FE_SIZE;
const WINDOW_BITS: u32 = 3;
const WINDOW_ENTRIES: usize = 2; // odd multiples 1, 3
const DIGITS: usize = 256;

// Working memory: 2,120 bytes of the I/O buffer's work area (io.ts SCRATCH_ED25519).
const d2: usize = SCRATCH_ED25519;
const fa: usize = d2 + FE_SIZE;
const fb: usize = fa + FE_SIZE;
const fc: usize = fb + FE_SIZE;
const fd: usize = fc + FE_SIZE;
const sum: usize = fd + FE_SIZE;
const negA: usize = sum + POINT_SIZE;
const scratchPoint: usize = negA + POINT_SIZE;
const tableA: usize = scratchPoint + POINT_SIZE;
const tableB: usize = tableA + WINDOW_ENTRIES * POINT_SIZE;
const digitsK: usize = tableB + WINDOW_ENTRIES * POINT_SIZE;
const digitsS: usize = digitsK + DIGITS;
const scalarBytes: usize = digitsS + DIGITS; // a scalar, zero-padded for 32-bit window reads: 36 bytes
const hash: usize = scalarBytes + 40;
const kScalar: usize = hash + 64;
const encoded: usize = kScalar + 32;
/** Bytes of the work area used, up to the end of `encoded`. */
export const ED25519_SCRATCH_SIZE: usize = encoded + 32 - SCRATCH_ED25519;

/**
 * True when `signature` (R || S, 64 bytes) is a valid Ed25519 signature by the 32-byte
 * `publicKey` over the `len` bytes at `message`. A host's native verifier (the optional
 * `ed25519_native` import) decides when it has one; otherwise the code below.
 */
export function ed25519Verify(signature: usize, publicKey: usize, message: usize, len: usize): bool {
  const native = ed25519_native(signature, publicKey, message, len);
  if (native >= 0) return native == Ed25519NativeResult.Valid;
  return ed25519VerifyPortable(signature, publicKey, message, len);
}

/** The verification in AssemblyScript, the portable default (RFC 8032 5.1.7, as above). */
function ed25519VerifyPortable(signature: usize, publicKey: usize, message: usize, len: usize): bool {
  if (!scalarIsCanonical(signature + 32)) return false;
  if (!decodePoint(negA, publicKey)) return false;
  feNeg(negA + X, negA + X);
  feNeg(negA + T, negA + T);

  sha512Init();
  sha512Update(signature, 32);
  sha512Update(publicKey, 32);
  sha512Update(message, len);
  sha512Final(hash);
  reduceModL(kScalar, hash);

  // The base point's table is rebuilt every time: the work area does not keep it.
  memory.fill(encoded, BASE_Y, 32);
  store<u8>(encoded, BASE_Y0);
  decodePoint(scratchPoint, encoded);
  fillWindowTable(tableB, scratchPoint);
  fillWindowTable(tableA, negA);
  const topK = slidingWindowDigits(digitsK, kScalar);
  const topS = slidingWindowDigits(digitsS, signature + 32);

  // sum = [k](-A) + [S]B, Horner style from the highest digit.
  feZero(sum + X);
  feOne(sum + Y);
  feOne(sum + Z);
  feZero(sum + T);
  for (let i = max(topK, topS); i >= 0; i--) {
    const dk = load<i8>(digitsK + <usize>i);
    const ds = load<i8>(digitsS + <usize>i);
    pointDouble(sum, sum, dk != 0 || ds != 0);
    if (dk != 0) addWindowEntry(tableA, dk);
    if (ds != 0) addWindowEntry(tableB, ds);
  }
  encodePoint(encoded, sum);
  for (let i: usize = 0; i < 32; i += 8) {
    if (load<u64>(encoded + i) != load<u64>(signature + i)) return false;
  }
  return true;
}

function addWindowEntry(table: usize, digit: i8): void {
  const entry = table + <usize>(abs<i32>(digit) >> 1) * POINT_SIZE;
  pointAdd(sum, sum, entry, digit < 0);
}

/** S < L, read as a little-endian integer (RFC 8032 5.1.7 step 1; malleability). */
function scalarIsCanonical(s: usize): bool {
  for (let i = 31; i >= 0; i--) {
    const a = load<u8>(s + i);
    const b = load<u8>(L + i);
    if (a != b) return a < b;
  }
  return false; // S == L
}

/**
 * out = in mod L for a 64-byte little-endian integer (the SHA-512 of R || A || M): one
 * bit at a time from the top, r = 2r + bit, less L when r reaches it. Eight 32-bit limbs
 * hold r < L < 2^253; 512 steps are a small part of a verification.
 */
function reduceModL(out: usize, input: usize): void {
  const r = out;
  memory.fill(r, 0, 32);
  for (let bit = 511; bit >= 0; bit--) {
    let carry: u32 = (load<u8>(input + (bit >> 3)) >> (bit & 7)) & 1;
    for (let i: usize = 0; i < 32; i += 4) {
      const v = load<u32>(r + i);
      store<u32>(r + i, (v << 1) | carry);
      carry = v >> 31;
    }
    if (!lessThanL(r)) {
      let borrow: i64 = 0;
      for (let i: usize = 0; i < 32; i += 4) {
        const v = <i64>load<u32>(r + i) - <i64>load<u32>(L + i) - borrow;
        store<u32>(r + i, <u32>v);
        borrow = v < 0 ? 1 : 0;
      }
    }
  }
}

function lessThanL(r: usize): bool {
  for (let i = 28; i >= 0; i -= 4) {
    const a = load<u32>(r + i);
    const b = load<u32>(L + i);
    if (a != b) return a < b;
  }
  return false;
}

/**
 * Signed width-3 sliding-window digits of a 32-byte scalar below 2^253: digits[i] is 0 or
 * odd in [-3, 3], and the scalar = sum of digits[i] 2^i. Returns the highest nonzero index
 * (-1 for zero).
 */
function slidingWindowDigits(digits: usize, scalar: usize): i32 {
  memory.copy(scalarBytes, scalar, 32);
  store<u32>(scalarBytes + 32, 0);
  memory.fill(digits, 0, DIGITS);
  let carry: u32 = 0;
  let top: i32 = -1;
  let i: u32 = 0;
  while (i < <u32>DIGITS) {
    const window = ((load<u32>(scalarBytes + (i >> 3)) >> (i & 7)) & ((1 << WINDOW_BITS) - 1)) + carry;
    if ((window & 1) == 0) {
      i++; // bit i plus the carry is 0 or 2: digit 0, the carry passes on unchanged
      continue;
    }
    let digit = <i32>window;
    carry = 0;
    if (digit > (1 << (WINDOW_BITS - 1))) {
      digit -= 1 << WINDOW_BITS;
      carry = 1;
    }
    store<i8>(digits + i, <i8>digit);
    top = <i32>i;
    i += WINDOW_BITS;
  }
  return top;
}

/** table = cached P, cached 3P (2P passes through the second entry on the way). */
function fillWindowTable(table: usize, p: usize): void {
  memory.copy(sum, p, POINT_SIZE);
  pointDouble(scratchPoint, sum, true);
  toCached(table, sum);
  toCached(table + POINT_SIZE, scratchPoint);
  pointAdd(sum, sum, table + POINT_SIZE, false);
  toCached(table + POINT_SIZE, sum);
}

function toCached(c: usize, p: usize): void {
  feAdd(c + X, p + Y, p + X);
  feSub(c + Y, p + Y, p + X);
  feAdd(c + Z, p + Z, p + Z);
  feMul(c + T, p + T, d2);
}

/** r = p + q (or p - q when `subtract`), q cached. r may be p. */
function pointAdd(r: usize, p: usize, q: usize, subtract: bool): void {
  const qPlus = subtract ? q + Y : q + X; // -q swaps Y+X and Y-X and negates 2dT
  const qMinus = subtract ? q + X : q + Y;
  feSub(fa, p + Y, p + X);
  feMul(fa, fa, qMinus); //         a = (Y1 - X1)(Y2 - X2)
  feAdd(fb, p + Y, p + X);
  feMul(fb, fb, qPlus); //          b = (Y1 + X1)(Y2 + X2)
  feMul(fc, p + T, q + T); //       c = 2d T1 T2
  if (subtract) feNeg(fc, fc);
  feMul(fd, p + Z, q + Z); //       d = 2 Z1 Z2
  // e = b - a, f = d - c, g = d + c, h = b + a
  feSub(r + X, fb, fa); //          e
  feAdd(r + Y, fd, fc); //          g
  feSub(fd, fd, fc); //             f
  feAdd(fb, fb, fa); //             h
  feMul(r + T, r + X, fb); //       T3 = e h
  feMul(r + X, r + X, fd); //       X3 = e f
  feMul(r + Z, fd, r + Y); //       Z3 = f g
  feMul(r + Y, r + Y, fb); //       Y3 = g h
}

/**
 * r = 2p (dbl-2008-hwcd with every intermediate negated, which leaves the products
 * unchanged). T is only needed when an addition follows.
 */
function pointDouble(r: usize, p: usize, withT: bool): void {
  feSq(fa, p + X); //                    A = X^2
  feSq(fb, p + Y); //                    B = Y^2
  feSq(fc, p + Z);
  feAdd(fc, fc, fc);
  feCarry(fc, fc); //                    C = 2 Z^2
  feAdd(fd, p + X, p + Y);
  feSq(fd, fd); //                       (X + Y)^2
  feAdd(r + T, fa, fb); //               H = A + B
  feSub(fd, r + T, fd); //               E = H - (X + Y)^2
  feSub(fa, fa, fb); //                  G = A - B
  feAdd(fc, fc, fa); //                  F = C + G
  feMul(r + Y, fa, r + T); //            Y3 = G H
  if (withT) feMul(r + T, fd, r + T); // T3 = E H (else r + T keeps H, unused)
  feMul(r + X, fd, fc); //               X3 = E F
  feMul(r + Z, fc, fa); //               Z3 = F G
}

function encodePoint(s: usize, p: usize): void {
  feInvert(fa, p + Z);
  feMul(fb, p + X, fa);
  feMul(fc, p + Y, fa);
  feToBytes(s, fc);
  if (feIsNegative(fb)) store<u8>(s + 31, load<u8>(s + 31) | 0x80);
}

/**
 * Decodes a point (RFC 8032 5.1.3): y from the low 255 bits, x = sqrt((y^2 - 1)/(d y^2 + 1))
 * as u v^3 (u v^7)^((p-5)/8), times sqrt(-1) when that squares to -u, negated to match
 * bit 255. False when no square root exists.
 */
function decodePoint(p: usize, s: usize): bool {
  feFromBytes(d2, D2); // here because every verification starts with a decode
  feFromBytes(p + Y, s);
  feOne(p + Z);
  feSq(fa, p + Y);
  feFromBytes(fb, D);
  feMul(fb, fb, fa);
  feSub(fa, fa, p + Z); //           u = y^2 - 1
  feAdd(fb, fb, p + Z); //           v = d y^2 + 1
  feSq(fc, fb);
  feMul(fc, fc, fb); //              v^3
  feSq(fd, fc);
  feMul(fd, fd, fb);
  feMul(fd, fd, fa); //              u v^7
  fePowP58(fd, fd);
  feMul(fd, fd, fc);
  feMul(p + X, fd, fa); //           x = u v^3 (u v^7)^((p-5)/8)
  feSq(fc, p + X);
  feMul(fc, fc, fb); //              v x^2
  if (!feEqual(fc, fa)) {
    feAdd(fc, fc, fa);
    if (!feIsZero(fc)) return false;
    feFromBytes(fc, SQRT_M1);
    feMul(p + X, p + X, fc);
  }
  if (feIsNegative(p + X) != ((load<u8>(s + 31) >> 7) != 0)) feNeg(p + X, p + X);
  feMul(p + T, p + X, p + Y);
  return true;
}
