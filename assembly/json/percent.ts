// RFC 3986 percent-decoding (Murano's `otau_info` tag carries percent-encoded JSON).
// '+' is a literal plus here, not a space: that rule belongs to HTML forms, not URIs.
// Bytes other than '%' are copied as they are; what the decoded text must be (UTF-8
// JSON) is for the validator to check.
import { hexValue } from "./chars";

/** percentDecode's negative results. */
export const enum PercentError {
  /** A '%' not followed by two hexadecimal digits (including one cut by the end of the input). */
  BadEscape = -1,
  /** The decoded bytes do not fit in `cap`. */
  TooLong = -2,
}

/** Decodes bytes [src, src+len) into dst (capacity cap). Returns the decoded length, or a PercentError.
 *  Never writes beyond cap. dst may equal src (decoding never lengthens). */
export function percentDecode(src: usize, len: usize, dst: usize, cap: usize): i32 {
  const end = src + len;
  let length: usize = 0;
  let p = src;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (c == 0x25) { // %
      const high = p + 2 < end ? hexValue(load<u8>(p + 1)) : -1;
      const low = high >= 0 ? hexValue(load<u8>(p + 2)) : -1;
      if (low < 0) return PercentError.BadEscape;
      c = <u32>((high << 4) | low);
      p += 3;
    } else {
      p++;
    }
    if (length >= cap) return PercentError.TooLong;
    store<u8>(dst + length++, c);
  }
  return <i32>length;
}
