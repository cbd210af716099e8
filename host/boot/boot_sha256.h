/* SHA-256 (FIPS 180-4), streaming, for the bootloader's image check. No allocation. */
#ifndef BOOT_SHA256_H
#define BOOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_SHA256_DIGEST_SIZE 32

struct boot_sha256 {
    uint32_t state[8];
    uint64_t length;     /* bytes hashed so far */
    uint32_t filled;     /* bytes waiting in block */
    uint8_t block[64];
};

void boot_sha256_init(struct boot_sha256 *ctx);
void boot_sha256_update(struct boot_sha256 *ctx, const void *data, size_t len);
void boot_sha256_final(struct boot_sha256 *ctx, uint8_t out[BOOT_SHA256_DIGEST_SIZE]);

#endif
