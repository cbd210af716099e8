// The bench's input: deterministic pseudo-random bytes, the same on every run and
// machine. Must stay identical to fill_pattern in bench/sha256_ref.c (xorshift32 from
// a fixed seed, each word stored little-endian, the last word cut to fit), so that
// `sha256_ref --bytes N` hashes exactly these bytes without reading a file.

const SEED = 0x9e3779b9;

export function benchPattern(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = SEED;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    for (let j = 0; j < 4 && i + j < size; j++) out[i + j] = (x >>> (8 * j)) & 0xff;
  }
  return out;
}
