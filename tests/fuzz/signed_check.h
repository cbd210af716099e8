/* The harness's own reading of what makes an image trusted, independent of the agent: the
 * trust store in area 3 (docs/boot-record.md "Trust store"), MCUboot's image format and the
 * key-list body (docs/abi.md "Signed key-list updates"), with OpenSSL's Ed25519 as the verifier. */
#ifndef SIGNED_CHECK_H
#define SIGNED_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "file_flash.h"

#define TRUST_KEYS_MAX 4u
#define TRUST_KEY_SIZE 32u

struct trust_keys {
    uint32_t count;
    uint32_t generation;
    uint8_t key[TRUST_KEYS_MAX][TRUST_KEY_SIZE];
};

/* Writes copy 0 of a trust store holding `keys` (sequence 1, counter 0), as a factory would. */
void trust_store_provision(struct file_flash *flash, const struct file_flash_geometry *geometry,
                           const struct trust_keys *keys);

/* The key list in force in area 3: false when no copy is valid. */
bool trust_store_read(struct file_flash *flash, const struct file_flash_geometry *geometry,
                      struct trust_keys *keys);

/* NULL when `image` (its first `len` bytes) is an MCUboot image whose hash an ED25519 TLV signs
 * with one of the `count` keys; otherwise why not. */
const char *image_signed_by(const uint8_t *image, uint32_t len,
                            const uint8_t (*keys)[TRUST_KEY_SIZE], uint32_t count);

/* The key list an update image carries in its body, false when its body is not one. */
bool key_list_body(const uint8_t *image, uint32_t len, struct trust_keys *keys);

#endif
