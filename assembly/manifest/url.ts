// What the agent asks of a download URL before handing it to the host's fetch: an
// http(s) scheme, and nothing outside printable ASCII (RFC 3986 URLs are printable
// ASCII; a NUL would end the URL early in a C host).
import { Text, text, textBytes, textLength } from "../text";

export function isHttpUrl(url: usize, len: i32): bool {
  return startsWith(url, len, text("http://")) || startsWith(url, len, text("https://"));
}

/** The index of the first byte outside printable ASCII (0x21–0x7e), or -1. */
export function firstNonUrlByte(url: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(url + i);
    if (c <= 0x20 || c >= 0x7f) return i;
  }
  return -1;
}

/** True when the URL starts with `prefix` (lowercase ASCII), letters compared without case. */
function startsWith(ptr: usize, len: i32, prefix: Text): bool {
  const n = <i32>textLength(prefix);
  if (len <= n) return false;
  for (let i = 0; i < n; i++) {
    let c = <u32>load<u8>(ptr + i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c != <u32>load<u8>(textBytes(prefix) + i)) return false;
  }
  return true;
}
