// Version strings: the grammar and order of Semantic Versioning 2.0.0 (https://semver.org):
// MAJOR.MINOR.PATCH, numbers without leading zeros, an optional -pre-release and +build of
// dot-separated [0-9A-Za-z-] identifiers. Precedence (semver.org §11): the core numerically,
// a pre-release below its release, pre-release identifiers left to right (numbers
// numerically and below words, words in ASCII order, a shorter list first when equal so
// far); build metadata does not count. Numbers are compared as digit strings, so their
// size is not limited. Anything else is not a semantic version: when downgrades are
// forbidden such a version cannot be ordered and is refused (otau/engine.ts).

export const NOT_COMPARABLE: i32 = 2;

/** Where the parts of the last parsed version end, per side: core, pre-release. */
const bounds = memory.data(4 * 4);
const CORE_END: usize = 0;
const PRE_END: usize = 4;

function isDigit(c: u32): bool { return c >= 0x30 && c <= 0x39; }

function isIdentifierByte(c: u32): bool {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d;
}

/** The end of the identifier starting at `from` (the first byte not in [0-9A-Za-z-]). */
function identifierEnd(ptr: usize, from: i32, len: i32): i32 {
  let i = from;
  while (i < len && isIdentifierByte(load<u8>(ptr + i))) i++;
  return i;
}

function allDigits(ptr: usize, from: i32, to: i32): bool {
  for (let i = from; i < to; i++) if (!isDigit(load<u8>(ptr + i))) return false;
  return true;
}

/** A numeric identifier: digits, and no leading zero unless it is "0". */
function isNumber(ptr: usize, from: i32, to: i32): bool {
  return to > from && allDigits(ptr, from, to) && (to - from == 1 || load<u8>(ptr + from) != 0x30);
}

/**
 * Dot-separated non-empty identifiers from `from`, up to `stop` (a byte that ends the list)
 * or the end; returns where the list ended, or -1. Pre-release numbers may not have
 * leading zeros (`numbersStrict`); build identifiers may.
 */
function identifierList(ptr: usize, from: i32, len: i32, stop: u32, numbersStrict: bool): i32 {
  let at = from;
  while (true) {
    const end = identifierEnd(ptr, at, len);
    if (end == at) return -1;
    if (numbersStrict && allDigits(ptr, at, end) && !isNumber(ptr, at, end)) return -1;
    if (end == len) return end;
    const c = <u32>load<u8>(ptr + end);
    if (c == stop) return end;
    if (c != 0x2e) return -1;
    at = end + 1;
  }
}

/** Parses a version into `into` (core end, pre-release end); false when it is not SemVer 2.0. */
function parse(ptr: usize, len: i32, into: usize): bool {
  let at = 0;
  for (let part = 0; part < 3; part++) {
    let end = at;
    while (end < len && isDigit(load<u8>(ptr + end))) end++;
    if (!isNumber(ptr, at, end)) return false;
    if (part < 2) {
      if (end >= len || load<u8>(ptr + end) != 0x2e) return false;
      end++;
    }
    at = end;
  }
  store<i32>(into + CORE_END, at);
  if (at < len && load<u8>(ptr + at) == 0x2d) {
    at = identifierList(ptr, at + 1, len, 0x2b, true);
    if (at < 0) return false;
  }
  store<i32>(into + PRE_END, at);
  if (at < len) {
    if (load<u8>(ptr + at) != 0x2b) return false;
    at = identifierList(ptr, at + 1, len, 0, false);
    if (at != len) return false;
  }
  return true;
}

/** True when the `len` bytes at `ptr` are a semantic version. */
export function isSemanticVersion(ptr: usize, len: i32): bool {
  return parse(ptr, len, bounds);
}

/** Orders two numbers without leading zeros: the longer is larger, else byte by byte. */
function compareNumbers(a: usize, aLen: i32, b: usize, bLen: i32): i32 {
  if (aLen != bLen) return aLen < bLen ? -1 : 1;
  return compareBytes(a, aLen, b, bLen);
}

/** ASCII order; a prefix comes first. */
function compareBytes(a: usize, aLen: i32, b: usize, bLen: i32): i32 {
  const n = min(aLen, bLen);
  for (let i = 0; i < n; i++) {
    const x = load<u8>(a + i), y = load<u8>(b + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return aLen == bLen ? 0 : (aLen < bLen ? -1 : 1);
}

function dotOrEnd(ptr: usize, from: i32, to: i32): i32 {
  let i = from;
  while (i < to && load<u8>(ptr + i) != 0x2e) i++;
  return i;
}

/** Compares the identifier lists [aFrom, aTo) and [bFrom, bTo) (core numbers or pre-release). */
function compareLists(a: usize, aFrom: i32, aTo: i32, b: usize, bFrom: i32, bTo: i32): i32 {
  let i = aFrom, j = bFrom;
  while (i < aTo && j < bTo) {
    const iEnd = dotOrEnd(a, i, aTo), jEnd = dotOrEnd(b, j, bTo);
    const aNumber = allDigits(a, i, iEnd), bNumber = allDigits(b, j, jEnd);
    let order: i32;
    if (aNumber && bNumber) order = compareNumbers(a + i, iEnd - i, b + j, jEnd - j);
    else if (aNumber != bNumber) order = aNumber ? -1 : 1;
    else order = compareBytes(a + i, iEnd - i, b + j, jEnd - j);
    if (order != 0) return order;
    i = iEnd + 1;
    j = jEnd + 1;
  }
  if (i < aTo) return 1;
  if (j < bTo) return -1;
  return 0;
}

/**
 * -1, 0 or 1 as a has lower, equal or higher precedence than b (semver.org §11), or
 * NOT_COMPARABLE when either is not a semantic version.
 */
export function compareVersions(a: usize, aLen: i32, b: usize, bLen: i32): i32 {
  if (!parse(a, aLen, bounds) || !parse(b, bLen, bounds + 8)) return NOT_COMPARABLE;
  const aCore = load<i32>(bounds + CORE_END), aPre = load<i32>(bounds + PRE_END);
  const bCore = load<i32>(bounds + 8 + CORE_END), bPre = load<i32>(bounds + 8 + PRE_END);
  // The core's three numbers are identifiers without leading zeros: compared as a list.
  const core = compareLists(a, 0, aCore, b, 0, bCore);
  if (core != 0) return core;
  const aHasPre = aPre > aCore, bHasPre = bPre > bCore;
  if (!aHasPre || !bHasPre) return aHasPre == bHasPre ? 0 : (aHasPre ? -1 : 1);
  return compareLists(a, aCore + 1, aPre, b, bCore + 1, bPre);
}

/**
 * The index of the first byte a version may not hold, or -1: C0 controls (NUL included),
 * DEL, and the C1 controls U+0080–U+009F (UTF-8 C2 80–C2 9F). A version is printed into
 * logs, reports and the boot record, where such bytes forge lines or end a C string.
 */
export function firstControlByte(ptr: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if (c < 0x20 || c == 0x7f) return i;
    if (c == 0xc2 && i + 1 < len) {
      const next = <u32>load<u8>(ptr + i + 1);
      if (next >= 0x80 && next <= 0x9f) return i;
    }
  }
  return -1;
}
