// Strict RFC 8259 validator for untrusted documents, run before anything reads them.
// It never allocates and never traps: nesting is tracked in a static bit stack (one bit
// per open container: object or array) instead of recursion, every read is bounds-checked
// against the end of the input, and errors are returned as codes with the offset found.
import { hexValue, isDigit, skipWhitespace } from "./chars";
import { Text, text } from "../text";

export const enum JsonError {
  None = 0,
  /** Nothing but whitespace. */
  Empty = 1,
  /** The input ends where the grammar needs more bytes. */
  Truncated = 2,
  UnexpectedCharacter = 3,
  BadEscape = 4,
  BadUtf8 = 5,
  /** A byte below 0x20 inside a string. */
  ControlCharacter = 6,
  BadNumber = 7,
  TooDeep = 8,
  TooLarge = 9,
  /** Non-whitespace after the one JSON value. */
  TrailingData = 10,
  /** A \u escape of a UTF-16 surrogate that is not a high one directly followed by a low one. */
  LoneSurrogate = 11,
}

/** The deepest nesting validateJson tracks; a larger maxDepth is lowered to this. */
export const JSON_DEPTH_CAP: i32 = 1024;

// Bit n is set while the container opened at depth n is an object.
const containerIsObject = memory.data(JSON_DEPTH_CAP >> 3);

let error: JsonError = JsonError.None;
let errorAt: usize = 0;
let documentStart: usize = 0;

// Literals packed little-endian, compared byte by byte.
const TRUE: u64 = 0x65757274; // "true"
const FALSE: u64 = 0x65736c6166; // "false"
const NULL: u64 = 0x6c6c756e; // "null"

/** Checks that bytes [ptr, ptr+len) are exactly one RFC 8259 JSON text (whitespace allowed around it), valid UTF-8 throughout,
 *  nesting depth <= maxDepth, len <= maxLength. No BOM accepted. Lone UTF-16 surrogates in \u escapes are rejected (LoneSurrogate). */
export function validateJson(ptr: usize, len: usize, maxDepth: i32, maxLength: usize): JsonError {
  error = JsonError.None;
  errorAt = ptr;
  documentStart = ptr;
  if (len > maxLength) return fail(JsonError.TooLarge, ptr + maxLength);
  const end = ptr + len;
  const depthLimit = min(max(maxDepth, 0), JSON_DEPTH_CAP);
  let depth: i32 = 0;
  let at = skipWhitespace(ptr, end);
  if (at == end) return fail(JsonError.Empty, end);
  while (true) {
    // A value starts at `at`.
    if (at >= end) return fail(JsonError.Truncated, end);
    const c = <u32>load<u8>(at);
    if (c == 0x7B || c == 0x5B) { // { [
      if (depth >= depthLimit) return fail(JsonError.TooDeep, at);
      const isObject = c == 0x7B;
      setContainer(depth++, isObject);
      at = skipWhitespace(at + 1, end);
      if (at < end && <u32>load<u8>(at) == c + 2) { // the matching } or ]: empty
        depth--;
        at++;
      } else {
        if (isObject) at = scanKey(at, end);
        if (error != JsonError.None) return error;
        continue;
      }
    } else if (c == 0x22) {
      at = scanString(at, end);
    } else if (c == 0x2D || isDigit(c)) {
      at = scanNumber(at, end);
    } else if (c == 0x74) {
      at = scanLiteral(at, end, TRUE, 4);
    } else if (c == 0x66) {
      at = scanLiteral(at, end, FALSE, 5);
    } else if (c == 0x6E) {
      at = scanLiteral(at, end, NULL, 4);
    } else {
      return unexpected(at, end);
    }
    if (error != JsonError.None) return error;
    // After a value: close containers until a comma asks for the next value.
    while (true) {
      at = skipWhitespace(at, end);
      if (depth == 0) return at < end ? fail(JsonError.TrailingData, at) : JsonError.None;
      if (at >= end) return fail(JsonError.Truncated, end);
      const d = <u32>load<u8>(at);
      const inObject = isObjectAt(depth - 1);
      if (d == 0x2C) { // ,
        at = skipWhitespace(at + 1, end);
        if (inObject) at = scanKey(at, end);
        if (error != JsonError.None) return error;
        break;
      }
      if (d != (inObject ? 0x7D : 0x5D)) return unexpected(at, end);
      depth--;
      at++;
    }
  }
  return error;
}

/** Byte offset (from ptr) where the last validateJson error was found. */
export function jsonErrorOffset(): usize {
  return errorAt - documentStart;
}

/** A constant human-readable name for the error, e.g. "invalid UTF-8", "nesting deeper than the limit". */
export function jsonErrorText(error: JsonError): Text {
  switch (error) {
    case JsonError.None: return text("valid JSON");
    case JsonError.Empty: return text("empty document");
    case JsonError.Truncated: return text("document ends inside a value");
    case JsonError.UnexpectedCharacter: return text("unexpected character");
    case JsonError.BadEscape: return text("invalid escape in a string");
    case JsonError.BadUtf8: return text("invalid UTF-8");
    case JsonError.ControlCharacter: return text("unescaped control character in a string");
    case JsonError.BadNumber: return text("malformed number");
    case JsonError.TooDeep: return text("nesting deeper than the limit");
    case JsonError.TooLarge: return text("document larger than the limit");
    case JsonError.TrailingData: return text("data after the JSON value");
    case JsonError.LoneSurrogate: return text("unpaired UTF-16 surrogate in a \\u escape");
  }
  return text("unknown JSON error");
}

function fail(kind: JsonError, at: usize): JsonError {
  error = kind;
  errorAt = at;
  return kind;
}

/** Reports the byte at `at`, which cannot continue the text: the end, invalid UTF-8 or a wrong character. */
function unexpected(at: usize, end: usize): JsonError {
  if (at >= end) return fail(JsonError.Truncated, end);
  if (load<u8>(at) >= 0x80) {
    scanUtf8(at, end);
    if (error != JsonError.None) return error;
  }
  return fail(JsonError.UnexpectedCharacter, at);
}

function setContainer(depth: i32, isObject: bool): void {
  const byte = containerIsObject + (<usize>depth >> 3);
  const bit: u32 = 1 << (depth & 7);
  const bits = <u32>load<u8>(byte);
  store<u8>(byte, isObject ? bits | bit : bits & ~bit);
}

function isObjectAt(depth: i32): bool {
  return (load<u8>(containerIsObject + (<usize>depth >> 3)) & (1 << (depth & 7))) != 0;
}

/** An object member's key and colon: returns the address of its value (after whitespace). */
function scanKey(at: usize, end: usize): usize {
  if (at >= end || load<u8>(at) != 0x22) {
    unexpected(at, end);
    return at;
  }
  at = skipWhitespace(scanString(at, end), end);
  if (error != JsonError.None) return at;
  if (at >= end || load<u8>(at) != 0x3A) {
    unexpected(at, end);
    return at;
  }
  return skipWhitespace(at + 1, end);
}

/** A string from its opening quote; returns the address past its closing quote. */
function scanString(at: usize, end: usize): usize {
  let p = at + 1;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 0x22) return p + 1;
    if (c == 0x5C) {
      p = scanEscape(p, end);
    } else if (c < 0x20) {
      fail(JsonError.ControlCharacter, p);
    } else if (c < 0x80) {
      p++;
      continue;
    } else {
      p = scanUtf8(p, end);
    }
    if (error != JsonError.None) return p;
  }
  fail(JsonError.Truncated, end);
  return end;
}

/** One escape from its backslash. A high surrogate must be directly followed by an escaped low one. */
function scanEscape(at: usize, end: usize): usize {
  if (at + 1 >= end) {
    fail(JsonError.Truncated, end);
    return end;
  }
  const e = <u32>load<u8>(at + 1);
  if (e != 0x75) { // not \u
    // " \ / b f n r t
    if (e == 0x22 || e == 0x5C || e == 0x2F || e == 0x62 || e == 0x66 || e == 0x6E || e == 0x72 || e == 0x74) return at + 2;
    fail(JsonError.BadEscape, at);
    return at;
  }
  const unit = hex4(at, end);
  if (unit < 0) return at;
  if (unit < 0xD800 || unit > 0xDFFF) return at + 6;
  if (unit >= 0xDC00) {
    fail(JsonError.LoneSurrogate, at);
    return at;
  }
  const next = at + 6;
  if (next + 1 >= end) {
    fail(JsonError.Truncated, end);
    return end;
  }
  if (load<u8>(next) != 0x5C || load<u8>(next + 1) != 0x75) {
    fail(JsonError.LoneSurrogate, at);
    return at;
  }
  const low = hex4(next, end);
  if (low < 0) return next;
  if (low < 0xDC00 || low > 0xDFFF) {
    fail(JsonError.LoneSurrogate, at);
    return at;
  }
  return next + 6;
}

/** The four hex digits of the \u escape whose backslash is at `at`, or -1 with the error set. */
function hex4(at: usize, end: usize): i32 {
  let unit: i32 = 0;
  for (let i: usize = 2; i < 6; i++) {
    if (at + i >= end) {
      fail(JsonError.Truncated, end);
      return -1;
    }
    const digit = hexValue(load<u8>(at + i));
    if (digit < 0) {
      fail(JsonError.BadEscape, at);
      return -1;
    }
    unit = (unit << 4) | digit;
  }
  return unit;
}

/** One multi-byte UTF-8 sequence (Unicode table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF). */
function scanUtf8(at: usize, end: usize): usize {
  const lead = <u32>load<u8>(at);
  let trailing: usize;
  let low: u32 = 0x80;
  let high: u32 = 0xBF;
  if (lead < 0xC2) { // a continuation byte, or C0/C1 which could only start an overlong form
    fail(JsonError.BadUtf8, at);
    return at;
  } else if (lead < 0xE0) {
    trailing = 1;
  } else if (lead < 0xF0) {
    trailing = 2;
    if (lead == 0xE0) low = 0xA0; // overlong below U+0800
    else if (lead == 0xED) high = 0x9F; // U+D800..DFFF
  } else if (lead < 0xF5) {
    trailing = 3;
    if (lead == 0xF0) low = 0x90; // overlong below U+10000
    else if (lead == 0xF4) high = 0x8F; // above U+10FFFF
  } else {
    fail(JsonError.BadUtf8, at);
    return at;
  }
  for (let i: usize = 1; i <= trailing; i++) {
    if (at + i >= end) {
      fail(JsonError.Truncated, end);
      return end;
    }
    const c = <u32>load<u8>(at + i);
    if (c < low || c > high) {
      fail(JsonError.BadUtf8, at);
      return at;
    }
    low = 0x80;
    high = 0xBF;
  }
  return at + trailing + 1;
}

/** -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?, which must end at a delimiter. */
function scanNumber(at: usize, end: usize): usize {
  let p = at;
  if (load<u8>(p) == 0x2D) p++;
  if (p >= end) return truncated(end);
  const first = <u32>load<u8>(p);
  if (first == 0x30) p++;
  else if (isDigit(first)) p = skipDigits(p, end);
  else return badNumber(p);
  if (p < end && load<u8>(p) == 0x2E) { // .
    p++;
    if (p >= end) return truncated(end);
    if (!isDigit(load<u8>(p))) return badNumber(p);
    p = skipDigits(p, end);
  }
  if (p < end && (load<u8>(p) | 0x20) == 0x65) { // e E
    p++;
    if (p < end && (load<u8>(p) == 0x2B || load<u8>(p) == 0x2D)) p++;
    if (p >= end) return truncated(end);
    if (!isDigit(load<u8>(p))) return badNumber(p);
    p = skipDigits(p, end);
  }
  // "01", "1.2.3", "1e5e", "2x": a number glued to more number-like bytes is malformed, not two tokens.
  if (p < end) {
    const c = <u32>load<u8>(p);
    if (isDigit(c) || c == 0x2E || c == 0x2B || c == 0x2D || (c | 0x20) - 0x61 < 26) return badNumber(p);
  }
  return p;
}

function skipDigits(at: usize, end: usize): usize {
  while (at < end && isDigit(load<u8>(at))) at++;
  return at;
}

function truncated(end: usize): usize {
  fail(JsonError.Truncated, end);
  return end;
}

function badNumber(at: usize): usize {
  fail(JsonError.BadNumber, at);
  return at;
}

function scanLiteral(at: usize, end: usize, word: u64, length: usize): usize {
  for (let i: usize = 0; i < length; i++) {
    if (at + i >= end) return truncated(end);
    if (<u64>load<u8>(at + i) != ((word >> (i << 3)) & 0xFF)) {
      unexpected(at + i, end);
      return at + i;
    }
  }
  return at + length;
}
