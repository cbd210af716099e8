/*
 * The bootloader's image check (secure boot, docs/security.md "The bootloader's check"): the
 * agent's own MCUboot parser, trust store and Ed25519 verifier (assembly/boot_verifier.ts),
 * translated to C by wasm2c at build time, run over a port's HAL flash. Before a slot starts,
 * boot_decide() calls boot_image_check() through struct boot_flash's check_image hook.
 */
#ifndef BOOT_IMAGE_CHECK_H
#define BOOT_IMAGE_CHECK_H

#include <stdint.h>

/* What an accepted image's acceptance rested on (assembly/boot_verifier.ts BootChecked). */
enum boot_image_checked {
    BOOT_IMAGE_RECORD_DIGEST_ONLY = 0, /* no trusted keys, not an MCUboot image */
    BOOT_IMAGE_HASH = 1,               /* no trusted keys: the image hash equals its SHA256 TLV */
    BOOT_IMAGE_SIGNATURE = 2,          /* hash and ED25519 signature by a trusted key */
};

/* Why a slot was refused: the agent's ImageProblem numbers (assembly/image/problem.ts), then
 * the verifier's own (assembly/boot_verifier.ts) and this file's. 0: accepted. */
enum boot_image_refusal {
    BOOT_IMAGE_ACCEPTED = 0,
    /* 1 to 23: ImageProblem, e.g. 17 hash mismatch, 18 unsigned, 20 unknown key, 21 bad signature */
    BOOT_IMAGE_SLOT_UNREADABLE = 64,
    BOOT_IMAGE_TRUST_STORE_UNREADABLE = 65,
    BOOT_IMAGE_VERIFIER_TRAPPED = 66,
    BOOT_IMAGE_VERIFIER_MEMORY = 67,
};

/* The check_image hook of struct boot_flash, `context` a const struct otau_hal * reaching
 * areas 1 to 3. `size`: the boot record's size for the slot (0: no record). Returns 0 when the
 * slot may start (*checked says on what grounds) or a refusal. Runs in static memory. */
int boot_image_check(void *context, int slot, uint32_t size, int *checked);

/* The refusal in a few words, e.g. "ED25519 signature does not verify" (boot_image_text.c). */
const char *boot_image_refusal_text(int refusal);
/* "record digest only", "image hash", "signature". */
const char *boot_image_checked_text(int checked);

/* The translated verifier driven directly (the tests' C path, as the agent's ed25519_verify):
 * 1 valid, 0 invalid, -1 too long for its 928-byte message buffer or a trap. */
int boot_ed25519_verify(const uint8_t signature[64], const uint8_t public_key[32],
                        const uint8_t *message, uint32_t len);

#endif
