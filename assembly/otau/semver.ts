// Orders two version strings when both are semantic versions (MAJOR.MINOR.PATCH with an
// optional -prerelease or +build, compared numerically). Murano versions may be any
// string (a git hash, "2.0.5-stable"), so "not comparable" is a real answer.

export const NOT_COMPARABLE: i32 = 2;

// Parsed numbers of the last parse: three per side.
const parts = memory.data(6 * 4);

function parseCore(ptr: usize, len: i32, into: usize): bool {
  let part = 0;
  let value: u64 = 0;
  let digits = 0;
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      if (value > 0xffffffff) return false;
      digits++;
    } else if (c == 0x2e && part < 2 && digits > 0) {
      store<u32>(into + (part++ << 2), <u32>value);
      value = 0;
      digits = 0;
    } else if ((c == 0x2d || c == 0x2b) && part == 2 && digits > 0) {
      break; // pre-release or build metadata: ordered by the core only
    } else {
      return false;
    }
  }
  if (part != 2 || digits == 0) return false;
  store<u32>(into + 8, <u32>value);
  return true;
}

/** -1, 0 or 1 as a < b, a == b, a > b by MAJOR.MINOR.PATCH; NOT_COMPARABLE otherwise. */
export function compareVersions(a: usize, aLen: i32, b: usize, bLen: i32): i32 {
  if (!parseCore(a, aLen, parts) || !parseCore(b, bLen, parts + 12)) return NOT_COMPARABLE;
  for (let i: usize = 0; i < 3; i++) {
    const x = load<u32>(parts + (i << 2));
    const y = load<u32>(parts + 12 + (i << 2));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}
