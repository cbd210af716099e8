// Byte classes shared by the validator and the reader. JSON's grammar is ASCII:
// every test here is on single bytes.

/** JSON whitespace is exactly space, tab, line feed and carriage return (RFC 8259 §2). */
// @ts-ignore: decorator
@inline export function isWhitespace(c: u32): bool {
  return c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09;
}

// @ts-ignore: decorator
@inline export function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

/** The value of a hexadecimal digit, or -1. */
export function hexValue(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const lower = c | 0x20;
  if (lower - 0x61 < 6) return <i32>(lower - 0x61 + 10);
  return -1;
}

/** The first address in [at, end) that is not JSON whitespace, or `end`. */
export function skipWhitespace(at: usize, end: usize): usize {
  while (at < end && isWhitespace(load<u8>(at))) at++;
  return at;
}
