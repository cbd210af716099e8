/*
 * The optional native Ed25519 verifier behind the agent's `ed25519_native` import (docs/abi.md
 * "Accelerators"). A build links one of two implementations:
 *   agent_ed25519_native.c  the bootloader's verifier (host/boot/boot_image_check.c: the agent's
 *                           own AssemblyScript translated to C by wasm2c)
 *   agent_ed25519_absent.c  none: the agent verifies in AssemblyScript, the portable default
 * (CMake option OTAU_NATIVE_ED25519; boards: make NATIVE_ED25519=1).
 */
#ifndef AGENT_ED25519_H
#define AGENT_ED25519_H

#include <stdint.h>

#include "otau_abi.h" /* enum otau_ed25519_result */

/* `signature` 64 bytes (R || S), `public_key` 32, `message` `len` bytes, all checked by the
 * caller. Returns enum otau_ed25519_result. */
int32_t agent_ed25519(const uint8_t *signature, const uint8_t *public_key, const uint8_t *message,
                      uint32_t len);

#endif
