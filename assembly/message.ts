// The status message being composed, in static memory: one message at a time, built
// without allocating. Text past the capacity is cut and ends in "..." so that a long
// value (a 10 KiB URL, say) can never overflow a report.
import { Text, textBytes, textLength } from "./text";

const MESSAGE_CAPACITY: i32 = 400;
const TRUNCATION_MARK = "...";
const bytes = memory.data(MESSAGE_CAPACITY);
let length: i32 = 0;
let full = false;

export function messageClear(): void {
  length = 0;
  full = false;
}

export function messagePtr(): usize {
  return bytes;
}

export function messageLength(): i32 {
  return length;
}

function room(needed: i32): bool {
  if (full) return false;
  if (length + needed <= MESSAGE_CAPACITY - TRUNCATION_MARK.length) return true;
  full = true;
  for (let i = 0; i < TRUNCATION_MARK.length; i++) store<u8>(bytes + length++, <u8>TRUNCATION_MARK.charCodeAt(i));
  return false;
}

function putByte(b: u32): void {
  store<u8>(bytes + length++, <u8>b);
}

/** Appends a constant (UTF-16 in the binary) as UTF-8. */
export function say(text: string): void {
  for (let i = 0; i < text.length; i++) {
    let c = <u32>text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      c = 0x10000 + ((c - 0xd800) << 10) + (<u32>text.charCodeAt(++i) - 0xdc00);
    }
    if (c < 0x80) {
      if (!room(1)) return;
      putByte(c);
    } else if (c < 0x800) {
      if (!room(2)) return;
      putByte(0xc0 | (c >> 6));
      putByte(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      if (!room(3)) return;
      putByte(0xe0 | (c >> 12));
      putByte(0x80 | ((c >> 6) & 0x3f));
      putByte(0x80 | (c & 0x3f));
    } else {
      if (!room(4)) return;
      putByte(0xf0 | (c >> 18));
      putByte(0x80 | ((c >> 12) & 0x3f));
      putByte(0x80 | ((c >> 6) & 0x3f));
      putByte(0x80 | (c & 0x3f));
    }
  }
}

/** Appends UTF-8 bytes from memory, cutting only between whole characters. */
export function sayBytes(ptr: usize, len: usize): void {
  let at: usize = 0;
  while (at < len) {
    const lead = <u32>load<u8>(ptr + at);
    const width: usize = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    const n = <i32>min(width, len - at);
    if (!room(n)) return;
    memory.copy(bytes + length, ptr + at, n);
    length += n;
    at += width;
  }
}

/** Appends a text constant (assembly/text.ts). */
export function sayText(t: Text): void {
  sayBytes(textBytes(t), textLength(t));
}

export function sayNumber(value: u64): void {
  const digits = memory.data(20);
  let n = 0;
  do {
    store<u8>(digits + n++, <u8>(0x30 + value % 10));
    value /= 10;
  } while (value > 0);
  if (!room(n)) return;
  while (n > 0) putByte(load<u8>(digits + --n));
}

/** "1 file", "3 files": the number, then `one` or `many`. */
export function sayCount(count: u64, one: Text, many: Text): void {
  sayNumber(count);
  sayText(count == 1 ? one : many);
}

/** `count` bytes as lowercase hex: digests in messages. */
export function sayHex(ptr: usize, count: usize): void {
  for (let i: usize = 0; i < count; i++) {
    if (!room(2)) return;
    const b = <u32>load<u8>(ptr + i);
    putHexDigit(b >> 4);
    putHexDigit(b & 15);
  }
}

/** "0x" and the eight hex digits of `value` (an address, a magic number). */
export function sayHex32(value: u32): void {
  if (!room(10)) return;
  putByte(0x30); // "0x"
  putByte(0x78);
  for (let shift: i32 = 28; shift >= 0; shift -= 4) putHexDigit((value >> shift) & 15);
}

function putHexDigit(d: u32): void {
  putByte(d < 10 ? 0x30 + d : 0x57 + d);
}
