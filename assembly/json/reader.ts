// Walks a document that validateJson has accepted, handing out addresses into it
// instead of building a tree (nothing is allocated). Addresses are absolute; 0 means
// "no value" (the end of an object or array), and every function accepts 0.
// On a document that was not validated the results are meaningless but every read
// still stays inside [at, end), so nothing traps.
import { hexValue, isDigit, skipWhitespace as skipJsonWhitespace } from "./chars";
import { Text, textBytes, textLength } from "../text";

export const enum JsonType { None = 0, String = 1, Number = 2, Object = 4, Array = 8, Boolean = 16, Null = 32 }

/** The first address in [at, end) that is not JSON whitespace, or `end`. */
export function skipWhitespace(at: usize, end: usize): usize {
  return skipJsonWhitespace(at, end);
}

/** The type of the value whose first byte is at `at` (no whitespace before it); None for 0 or a non-value byte. */
export function valueType(at: usize): JsonType {
  if (at == 0) return JsonType.None;
  const c = <u32>load<u8>(at);
  if (c == 0x22) return JsonType.String;
  if (c == 0x7B) return JsonType.Object;
  if (c == 0x5B) return JsonType.Array;
  if (c == 0x74 || c == 0x66) return JsonType.Boolean;
  if (c == 0x6E) return JsonType.Null;
  if (c == 0x2D || isDigit(c)) return JsonType.Number;
  return JsonType.None;
}

/** The address just past the value starting at `at` (never beyond `end`); `at` itself if no value starts there. */
export function valueEnd(at: usize, end: usize): usize {
  if (at == 0 || at >= end) return at;
  const c = <u32>load<u8>(at);
  if (c == 0x22) return stringEnd(at, end);
  if (c == 0x7B || c == 0x5B) {
    // Brackets balance in a valid document once strings are skipped: a counter does, no stack needed.
    let depth: u32 = 0;
    let p = at;
    while (p < end) {
      const d = <u32>load<u8>(p);
      if (d == 0x22) {
        p = stringEnd(p, end);
        continue;
      }
      if (d == 0x7B || d == 0x5B) depth++;
      else if ((d == 0x7D || d == 0x5D) && --depth == 0) return p + 1;
      p++;
    }
    return end;
  }
  if (c == 0x74 || c == 0x6E) return min(at + 4, end);
  if (c == 0x66) return min(at + 5, end);
  if (c == 0x2D || isDigit(c)) {
    let p = at + 1;
    while (p < end && isNumberByte(load<u8>(p))) p++;
    return p;
  }
  return at;
}

/** The first key (its opening quote) of the object at `objectAt`, or 0 if it is empty. */
export function firstMember(objectAt: usize, end: usize): usize {
  if (objectAt == 0 || objectAt >= end || load<u8>(objectAt) != 0x7B) return 0;
  const key = skipWhitespace(objectAt + 1, end);
  return key < end && load<u8>(key) == 0x22 ? key : 0;
}

/** The value of the member whose key is at `keyAt`, or 0. */
export function memberValue(keyAt: usize, end: usize): usize {
  if (keyAt == 0 || keyAt >= end || load<u8>(keyAt) != 0x22) return 0;
  const colon = skipWhitespace(stringEnd(keyAt, end), end);
  if (colon >= end || load<u8>(colon) != 0x3A) return 0;
  const value = skipWhitespace(colon + 1, end);
  return value < end ? value : 0;
}

/** The key of the member after the one at `keyAt`, or 0 at the end of the object. */
export function nextMember(keyAt: usize, end: usize): usize {
  const next = afterComma(valueEnd(memberValue(keyAt, end), end), end);
  return next != 0 && load<u8>(next) == 0x22 ? next : 0;
}

/** The first element of the array at `arrayAt`, or 0 if it is empty. */
export function firstElement(arrayAt: usize, end: usize): usize {
  if (arrayAt == 0 || arrayAt >= end || load<u8>(arrayAt) != 0x5B) return 0;
  const element = skipWhitespace(arrayAt + 1, end);
  return element < end && load<u8>(element) != 0x5D ? element : 0;
}

/** The element after the one at `elementAt`, or 0 at the end of the array. */
export function nextElement(elementAt: usize, end: usize): usize {
  return afterComma(valueEnd(elementAt, end), end);
}

/** True if the JSON string starting at `stringAt` (its quote) decodes exactly to `key` (UTF-8 text). Handles escapes. */
export function stringEquals(stringAt: usize, end: usize, key: Text): bool {
  if (stringAt == 0 || stringAt >= end || load<u8>(stringAt) != 0x22) return false;
  const keyEnd = textBytes(key) + textLength(key);
  let k = textBytes(key);
  let p = stringAt + 1;
  while (p < end) {
    if (load<u8>(p) == 0x22) return k == keyEnd;
    p = decodeCodePoint(p, end);
    if (p == 0) return false;
    // The code point's UTF-8 bytes must come next in the key.
    const c = codePoint;
    const n: usize = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (k + n > keyEnd) return false;
    const lead: u32 = n == 1 ? c : n == 2 ? 0xC0 | (c >> 6) : n == 3 ? 0xE0 | (c >> 12) : 0xF0 | (c >> 18);
    if (<u32>load<u8>(k) != lead) return false;
    for (let i: usize = 1; i < n; i++) {
      if (<u32>load<u8>(k + i) != (0x80 | ((c >> (6 * <u32>(n - 1 - i))) & 0x3f))) return false;
    }
    k += n;
  }
  return false;
}

/** Decodes the JSON string at `stringAt` (unescaping, \u incl. surrogate pairs → UTF-8) into dst (capacity cap). Returns the
 *  byte length, or -1 if it does not fit (nothing beyond cap is written), or -2 if no well-formed string starts at `stringAt`. */
export function decodeString(stringAt: usize, end: usize, dst: usize, cap: usize): i32 {
  return decode(stringAt, end, dst, cap, false);
}

/** True when the last decodeStringPrefix stopped at its capacity. */
export let prefixWasCut = false;

/** Like decodeString, but a string longer than `cap` gives its first whole characters that fit (see prefixWasCut). */
export function decodeStringPrefix(stringAt: usize, end: usize, dst: usize, cap: usize): i32 {
  prefixWasCut = false;
  return decode(stringAt, end, dst, cap, true);
}

function decode(stringAt: usize, end: usize, dst: usize, cap: usize, cut: bool): i32 {
  if (stringAt == 0 || stringAt >= end || load<u8>(stringAt) != 0x22) return -2;
  let length: usize = 0;
  let p = stringAt + 1;
  while (p < end) {
    const c = load<u8>(p);
    if (c == 0x22) return <i32>length;
    if (c != 0x5C) { // UTF-8 is copied as it stands: the validator has checked it
      if (length >= cap) {
        if (!cut) return -1;
        // Drop the part of a character already copied: back to its lead byte.
        if ((c & 0xC0) == 0x80) {
          while (length > 0 && (load<u8>(dst + length - 1) & 0xC0) == 0x80) length--;
          if (length > 0) length--;
        }
        prefixWasCut = true;
        return <i32>length;
      }
      store<u8>(dst + length++, c);
      p++;
      continue;
    }
    p = decodeCodePoint(p, end);
    if (p == 0) return -2;
    const size = utf8Size(codePoint);
    if (length + <usize>size > cap) {
      if (!cut) return -1;
      prefixWasCut = true;
      return <i32>length;
    }
    writeUtf8(dst + length, codePoint, size);
    length += <usize>size;
  }
  return -2;
}

/** Parses a JSON number at `at` as a non-negative integer <= 0xFFFFFFFF with no fraction/exponent (e.g. a size); -1 otherwise. */
export function parseU32(at: usize, end: usize): i64 {
  if (at == 0 || at >= end) return -1;
  let p = at;
  let value: i64 = 0;
  if (load<u8>(p) == 0x30) {
    p++;
  } else {
    while (p < end && isDigit(load<u8>(p))) {
      value = value * 10 + <i64>(load<u8>(p) - 0x30);
      if (value > 0xFFFFFFFF) return -1;
      p++;
    }
    if (p == at) return -1;
  }
  if (p < end && isNumberByte(load<u8>(p))) return -1; // a fraction, an exponent or a leading zero
  return value;
}

/** True for `true`, false for anything else. */
export function booleanValue(at: usize): bool {
  return at != 0 && load<u8>(at) == 0x74;
}

// The code point decodeCodePoint last read.
let codePoint: u32 = 0;

/** Reads one character of a string body at `at` (an escape or a UTF-8 sequence) into `codePoint`;
 *  returns the address after it, or 0 if it is malformed or cut by `end`. */
function decodeCodePoint(at: usize, end: usize): usize {
  const c = <u32>load<u8>(at);
  if (c == 0x5C) return decodeEscape(at, end);
  if (c < 0x80) {
    codePoint = c;
    return at + 1;
  }
  const trailing: u32 = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  if (c < 0xC0 || at + <usize>trailing >= end) return 0;
  let value = c & (0x3F >> trailing);
  for (let i: u32 = 1; i <= trailing; i++) {
    const b = <u32>load<u8>(at + <usize>i);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  codePoint = value;
  return at + <usize>trailing + 1;
}

function decodeEscape(at: usize, end: usize): usize {
  if (at + 1 >= end) return 0;
  const e = <u32>load<u8>(at + 1);
  switch (e) {
    case 0x22: case 0x5C: case 0x2F: codePoint = e; return at + 2;
    case 0x62: codePoint = 0x08; return at + 2;
    case 0x66: codePoint = 0x0C; return at + 2;
    case 0x6E: codePoint = 0x0A; return at + 2;
    case 0x72: codePoint = 0x0D; return at + 2;
    case 0x74: codePoint = 0x09; return at + 2;
    case 0x75: break;
    default: return 0;
  }
  const high = hex4(at, end);
  if (high < 0 || <u32>high - 0xDC00 < 0x400) return 0;
  if (<u32>high - 0xD800 >= 0x400) {
    codePoint = high;
    return at + 6;
  }
  const next = at + 6;
  if (next + 1 >= end || load<u8>(next) != 0x5C || load<u8>(next + 1) != 0x75) return 0;
  const low = hex4(next, end);
  if (low < 0 || <u32>low - 0xDC00 >= 0x400) return 0;
  codePoint = 0x10000 + ((<u32>high - 0xD800) << 10) + (<u32>low - 0xDC00);
  return next + 6;
}

/** The four hex digits after the `\u` whose backslash is at `at`, or -1. */
function hex4(at: usize, end: usize): i32 {
  if (at + 6 > end) return -1;
  let unit: i32 = 0;
  for (let i: usize = 2; i < 6; i++) {
    const digit = hexValue(load<u8>(at + i));
    if (digit < 0) return -1;
    unit = (unit << 4) | digit;
  }
  return unit;
}

function utf8Size(cp: u32): u32 {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function writeUtf8(dst: usize, cp: u32, size: u32): void {
  if (size == 1) {
    store<u8>(dst, cp);
    return;
  }
  // The lead byte has `size` high bits set (0xC0, 0xE0, 0xF0), then each continuation byte carries six bits.
  store<u8>(dst, ((0xFF00 >> size) & 0xFF) | (cp >> (6 * (size - 1))));
  for (let i: u32 = 1; i < size; i++) {
    store<u8>(dst + <usize>i, 0x80 | ((cp >> (6 * (size - 1 - i))) & 0x3F));
  }
}

function isNumberByte(c: u32): bool {
  return isDigit(c) || c == 0x2E || c == 0x2B || c == 0x2D || (c | 0x20) == 0x65;
}

/** Past the value ending at `at`: the next value's address if a comma follows, else 0. */
function afterComma(at: usize, end: usize): usize {
  if (at == 0) return 0;
  const comma = skipWhitespace(at, end);
  if (comma >= end || load<u8>(comma) != 0x2C) return 0;
  const next = skipWhitespace(comma + 1, end);
  return next < end ? next : 0;
}

function stringEnd(at: usize, end: usize): usize {
  let p = at + 1;
  while (p < end) {
    const c = load<u8>(p);
    if (c == 0x22) return p + 1;
    p += c == 0x5C ? 2 : 1;
  }
  return end;
}
