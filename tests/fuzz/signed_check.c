#include "signed_check.h"

#include <openssl/evp.h>
#include <string.h>

#include "boot_crc32.h"
#include "boot_sha256.h"

/* Trust store copy (format version 1): magic, version, key count, sequence, counter,
 * generation, four keys, CRC-32; then the commit marker, each padded to the write unit. */
#define STORE_MAGIC 0x4b41544fu  /* "OTAK" */
#define COMMIT_MAGIC 0x434b544fu /* "OTKC" */
#define STORE_KEYS 20u
#define STORE_CRC 148u
#define STORE_BYTES 152u
#define MARKER_BYTES 8u

/* MCUboot: the header's fields and the TLV kinds the check reads. */
#define IMAGE_MAGIC 0x96f3b83du
#define IMAGE_HEADER_BYTES 32u
#define TLV_INFO_MAGIC 0x6907u
#define TLV_PROTECTED_INFO_MAGIC 0x6908u
#define TLV_ED25519 0x24u
#define ED25519_SIGNATURE_BYTES 64u

static uint32_t u32_at(const uint8_t *at)
{
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

static uint16_t u16_at(const uint8_t *at)
{
    return (uint16_t)(at[0] | at[1] << 8);
}

static void put_u32(uint8_t *at, uint32_t value)
{
    for (int i = 0; i < 4; i++) at[i] = (uint8_t)(value >> (8 * i));
}

static uint32_t align_up(uint32_t value, uint32_t align)
{
    return (value + align - 1) / align * align;
}

static uint32_t payload_span(const struct file_flash_geometry *g)
{
    return align_up(STORE_BYTES, g->write_align);
}

static uint32_t copy_span(const struct file_flash_geometry *g)
{
    return align_up(payload_span(g) + align_up(MARKER_BYTES, g->write_align), g->sector_size);
}

void trust_store_provision(struct file_flash *flash, const struct file_flash_geometry *geometry,
                           const struct trust_keys *keys)
{
    uint8_t copy[2 * (STORE_BYTES + 32)];
    uint32_t marker_at = payload_span(geometry);
    uint32_t span = marker_at + align_up(MARKER_BYTES, geometry->write_align);
    memset(copy, 0, sizeof copy);
    put_u32(copy, STORE_MAGIC);
    copy[4] = 1;
    copy[5] = (uint8_t)keys->count;
    put_u32(copy + 8, 1);
    put_u32(copy + 16, keys->generation);
    memcpy(copy + STORE_KEYS, keys->key, keys->count * TRUST_KEY_SIZE);
    uint32_t crc = boot_crc32(copy, STORE_CRC);
    put_u32(copy + STORE_CRC, crc);
    put_u32(copy + marker_at, COMMIT_MAGIC);
    put_u32(copy + marker_at + 4, crc);
    file_flash_write(flash, OTAU_AREA_TRUST_STORE, 0, copy, span);
}

/* Reads copy `index`: its sequence number, or -1 when it is not valid. */
static int64_t read_copy(struct file_flash *flash, const struct file_flash_geometry *g,
                         uint32_t index, struct trust_keys *keys)
{
    uint8_t copy[2 * (STORE_BYTES + 32)];
    uint32_t marker_at = payload_span(g);
    uint32_t span = marker_at + align_up(MARKER_BYTES, g->write_align);
    if (file_flash_read(flash, OTAU_AREA_TRUST_STORE, index * copy_span(g), copy, span) != 0)
        return -1;
    uint32_t crc = u32_at(copy + STORE_CRC);
    if (u32_at(copy + marker_at) != COMMIT_MAGIC || u32_at(copy + marker_at + 4) != crc ||
        boot_crc32(copy, STORE_CRC) != crc || u32_at(copy) != STORE_MAGIC || copy[4] != 1 ||
        copy[5] > TRUST_KEYS_MAX)
        return -1;
    keys->count = copy[5];
    keys->generation = u32_at(copy + 16);
    memset(keys->key, 0, sizeof keys->key);
    memcpy(keys->key, copy + STORE_KEYS, keys->count * TRUST_KEY_SIZE);
    return u32_at(copy + 8);
}

bool trust_store_read(struct file_flash *flash, const struct file_flash_geometry *geometry,
                      struct trust_keys *keys)
{
    struct trust_keys second;
    int64_t first_sequence = read_copy(flash, geometry, 0, keys);
    int64_t second_sequence = read_copy(flash, geometry, 1, &second);
    /* The newer valid copy wins, by serial-number order of the sequence. */
    if (second_sequence >= 0 &&
        (first_sequence < 0 ||
         (int32_t)((uint32_t)second_sequence - (uint32_t)first_sequence) > 0)) {
        *keys = second;
        return true;
    }
    return first_sequence >= 0;
}

static bool ed25519_verifies(const uint8_t key[TRUST_KEY_SIZE], const uint8_t *signature,
                             const uint8_t *message, size_t len)
{
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, TRUST_KEY_SIZE);
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    bool valid = pkey && context && EVP_DigestVerifyInit(context, NULL, NULL, NULL, pkey) == 1 &&
                 EVP_DigestVerify(context, signature, ED25519_SIGNATURE_BYTES, message, len) == 1;
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(pkey);
    return valid;
}

const char *image_signed_by(const uint8_t *image, uint32_t len,
                            const uint8_t (*keys)[TRUST_KEY_SIZE], uint32_t count)
{
    if (len < IMAGE_HEADER_BYTES || u32_at(image) != IMAGE_MAGIC) return "not an MCUboot image";
    uint64_t hashed = (uint64_t)u16_at(image + 8) + u32_at(image + 12) + u16_at(image + 10);
    uint64_t info_at = hashed;
    if (info_at + 4 > len) return "no TLV area";
    uint16_t info_magic = u16_at(image + info_at);
    uint32_t info_total = u16_at(image + info_at + 2);
    if (info_magic != TLV_INFO_MAGIC || info_at + info_total > len || info_total < 4)
        return "no unprotected TLV area";
    uint8_t hash[BOOT_SHA256_DIGEST_SIZE];
    struct boot_sha256 sha;
    boot_sha256_init(&sha);
    boot_sha256_update(&sha, image, (size_t)hashed);
    boot_sha256_final(&sha, hash);
    /* Any ED25519 TLV that verifies over the image's real hash with a trusted key will do. */
    for (uint64_t at = info_at + 4; at + 4 <= info_at + info_total;) {
        uint16_t type = u16_at(image + at);
        uint16_t tlv_len = u16_at(image + at + 2);
        const uint8_t *value = image + at + 4;
        at += 4u + tlv_len;
        if (at > info_at + info_total) break;
        if (type != TLV_ED25519 || tlv_len != ED25519_SIGNATURE_BYTES) continue;
        for (uint32_t k = 0; k < count; k++)
            if (ed25519_verifies(keys[k], value, hash, sizeof hash)) return NULL;
    }
    return "no ED25519 TLV verifies its hash with a trusted key";
}

bool key_list_body(const uint8_t *image, uint32_t len, struct trust_keys *keys)
{
    if (len < IMAGE_HEADER_BYTES) return false;
    uint32_t body_at = u16_at(image + 8);
    uint32_t body_len = u32_at(image + 12);
    if ((uint64_t)body_at + body_len > len || body_len < 16 || memcmp(image + body_at, "OTAUKEYS", 8) != 0)
        return false;
    keys->generation = u32_at(image + body_at + 8);
    keys->count = u32_at(image + body_at + 12);
    if (keys->count < 1 || keys->count > TRUST_KEYS_MAX || body_len != 16 + keys->count * TRUST_KEY_SIZE)
        return false;
    memset(keys->key, 0, sizeof keys->key);
    memcpy(keys->key, image + body_at + 16, keys->count * TRUST_KEY_SIZE);
    return true;
}
