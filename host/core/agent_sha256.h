/*
 * The optional native SHA-256 behind the agent's `sha256_native` import (docs/abi.md
 * "Accelerators"). A build links one of two implementations:
 *   agent_sha256_native.c  the bootloader's C SHA-256 (host/boot/boot_sha256.c)
 *   agent_sha256_absent.c  none: the probe answers "not provided", the agent hashes itself
 * (CMake option OTAU_NATIVE_SHA256; boards: make NATIVE_SHA256=1).
 */
#ifndef AGENT_SHA256_H
#define AGENT_SHA256_H

#include <stdint.h>

#include "otau_abi.h" /* enum otau_sha256_op, enum otau_sha256_result */

/* The agent's SHA256_CONTEXT_SIZE (assembly/crypto/sha256.ts): the bytes of agent memory at
 * `ctx` the host may keep its state in, between Init and Final. */
#define AGENT_SHA256_CONTEXT_BYTES 112u
#define AGENT_SHA256_DIGEST_BYTES 32u

/* `context`: AGENT_SHA256_CONTEXT_BYTES (any alignment), `data`: `len` bytes to hash (Update),
 * `digest`: AGENT_SHA256_DIGEST_BYTES out (Final). The caller has checked every range. */
int32_t agent_sha256(uint32_t op, uint8_t *context, const uint8_t *data, uint32_t len,
                     uint8_t *digest);

#endif
