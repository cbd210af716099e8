// The yardstick for the agent's AssemblyScript SHA-256: the bootloader's plain scalar C
// SHA-256 (host/boot/boot_sha256.c: no SIMD, no SHA extensions, no tables beyond K), so
// the ratio measures the runtime, not a cleverer algorithm, and the C the device runs.
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

#include "boot_sha256.h"

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
  struct boot_sha256 ctx;
  boot_sha256_init(&ctx);
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) boot_sha256_update(&ctx, chunk, got);
  int failed = ferror(file);
  fclose(file);
  if (failed) {
    fprintf(stderr, "sha256_ref: cannot read %s\n", path);
    return 1;
  }
  uint8_t digest[32];
  boot_sha256_final(&ctx, digest);
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
  struct boot_sha256 ctx;
  uint64_t start = monotonic_ns();
  boot_sha256_init(&ctx);
  boot_sha256_update(&ctx, data, (size_t)len);
  boot_sha256_final(&ctx, digest);
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
