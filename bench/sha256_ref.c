// A plain scalar SHA-256 (FIPS 180-4): the yardstick for the agent's AssemblyScript
// SHA-256. Deliberately straightforward (no SIMD, no SHA extensions, no tables beyond
// K) so that the ratio measures the runtime, not a cleverer algorithm.
//
//   sha256_ref <file>      prints the file's digest
//   sha256_ref --bytes N   hashes N bytes of the bench pattern (bench/pattern.ts),
//                          generated in memory first, and prints the digest and then
//                          "hash_ns <n>": the hashing time alone, so that process
//                          start-up and generation do not count.
#define _POSIX_C_SOURCE 199309L
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  uint32_t state[8];
  uint64_t length;  // bytes hashed so far
  uint8_t block[64];
  size_t filled;  // bytes waiting in block
} sha256_context;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) {
    const uint8_t *p = block + 4 * i;
    w[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
  }
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

static void sha256_init(sha256_context *ctx) {
  static const uint32_t initial[8] = {
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };
  memcpy(ctx->state, initial, sizeof initial);
  ctx->length = 0;
  ctx->filled = 0;
}

static void sha256_update(sha256_context *ctx, const uint8_t *data, size_t len) {
  ctx->length += len;
  if (ctx->filled > 0) {
    size_t take = 64 - ctx->filled < len ? 64 - ctx->filled : len;
    memcpy(ctx->block + ctx->filled, data, take);
    ctx->filled += take;
    data += take;
    len -= take;
    if (ctx->filled < 64) return;
    compress(ctx->state, ctx->block);
    ctx->filled = 0;
  }
  for (; len >= 64; data += 64, len -= 64) compress(ctx->state, data);
  memcpy(ctx->block, data, len);
  ctx->filled = len;
}

static void sha256_final(sha256_context *ctx, uint8_t digest[32]) {
  uint64_t bit_length = ctx->length * 8;
  ctx->block[ctx->filled++] = 0x80;
  if (ctx->filled > 56) {
    memset(ctx->block + ctx->filled, 0, 64 - ctx->filled);
    compress(ctx->state, ctx->block);
    ctx->filled = 0;
  }
  memset(ctx->block + ctx->filled, 0, 56 - ctx->filled);
  for (int i = 0; i < 8; i++) ctx->block[56 + i] = (uint8_t)(bit_length >> (56 - 8 * i));
  compress(ctx->state, ctx->block);
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (uint8_t)(ctx->state[i] >> 24);
    digest[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
    digest[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
    digest[4 * i + 3] = (uint8_t)ctx->state[i];
  }
}

// The bench pattern; must stay identical to bench/pattern.ts: xorshift32 from a fixed
// seed, each word stored little-endian, the last word cut to fit.
static void fill_pattern(uint8_t *out, size_t len) {
  uint32_t x = 0x9e3779b9;
  for (size_t i = 0; i < len; i += 4) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    for (size_t j = 0; j < 4 && i + j < len; j++) out[i + j] = (uint8_t)(x >> (8 * j));
  }
}

static void print_digest(const uint8_t digest[32]) {
  for (int i = 0; i < 32; i++) printf("%02x", digest[i]);
  printf("\n");
}

static int hash_file(const char *path) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    fprintf(stderr, "sha256_ref: cannot open %s: %s\n", path, strerror(errno));
    return 1;
  }
  static uint8_t chunk[1 << 16];
  sha256_context ctx;
  sha256_init(&ctx);
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) sha256_update(&ctx, chunk, got);
  int failed = ferror(file);
  fclose(file);
  if (failed) {
    fprintf(stderr, "sha256_ref: cannot read %s\n", path);
    return 1;
  }
  uint8_t digest[32];
  sha256_final(&ctx, digest);
  print_digest(digest);
  return 0;
}

static uint64_t monotonic_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static int hash_pattern(const char *count) {
  char *end;
  errno = 0;
  unsigned long long len = strtoull(count, &end, 10);
  if (count[0] < '0' || count[0] > '9' || *end != '\0' || errno != 0 || len > SIZE_MAX) {
    fprintf(stderr, "sha256_ref: --bytes needs a byte count, got \"%s\"\n", count);
    return 2;
  }
  uint8_t *data = malloc(len > 0 ? (size_t)len : 1);
  if (data == NULL) {
    fprintf(stderr, "sha256_ref: cannot allocate %llu bytes\n", len);
    return 1;
  }
  fill_pattern(data, (size_t)len);
  uint8_t digest[32];
  sha256_context ctx;
  uint64_t start = monotonic_ns();
  sha256_init(&ctx);
  sha256_update(&ctx, data, (size_t)len);
  sha256_final(&ctx, digest);
  uint64_t elapsed = monotonic_ns() - start;
  free(data);
  print_digest(digest);
  printf("hash_ns %" PRIu64 "\n", elapsed);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--bytes") != 0) return hash_file(argv[1]);
  if (argc == 3 && strcmp(argv[1], "--bytes") == 0) return hash_pattern(argv[2]);
  fprintf(stderr, "usage: sha256_ref <file> | sha256_ref --bytes N\n");
  return 2;
}
