/* The fuzz harness's own judge of signed images and key lists (tests/fuzz/signed_check.c), on
 * the imgtool-signed data of the committed seeds: it must accept what imgtool signed and refuse
 * any change, or the campaign's signature oracle could not fail.
 * usage: test_signed_check <tests/fuzz/corpus> */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "signed_check.h"

static const char *corpus;
static uint8_t seed[8192];
static size_t seed_len;

static void load_seed(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", corpus, name);
    FILE *file = fopen(path, "rb");
    seed_len = file ? fread(seed, 1, sizeof seed, file) : 0;
    if (file) fclose(file);
    CHECK(seed_len > 0);
}

/* Seeds with one trusted key: header, device byte, key count 1, the key, then an opcode, its
 * argument bytes and a 16-bit length before the signed bytes (docs in tests/fuzz/make-seeds.mjs). */
#define SEED_KEY 3u
static const uint8_t *signed_bytes(size_t length_at, uint32_t *len)
{
    *len = (uint32_t)(seed[length_at] << 8 | seed[length_at + 1]);
    return seed + length_at + 2;
}

static void an_imgtool_signed_image_verifies_with_its_key_only(void)
{
    load_seed("signed-update");
    uint32_t len = 0;
    const uint8_t *image = signed_bytes(SEED_KEY + 32 + 2, &len); /* OP_IMAGE, flags */
    const uint8_t(*key)[TRUST_KEY_SIZE] = (const uint8_t(*)[TRUST_KEY_SIZE])(seed + SEED_KEY);
    CHECK(image_signed_by(image, len, key, 1) == NULL);
    uint8_t other[1][TRUST_KEY_SIZE];
    memcpy(other[0], key[0], TRUST_KEY_SIZE);
    other[0][0] ^= 1;
    CHECK(image_signed_by(image, len, (const uint8_t(*)[TRUST_KEY_SIZE])other, 1) != NULL);
    CHECK(image_signed_by(image, len, key, 0) != NULL);
}

static void any_flipped_byte_of_header_body_or_signature_is_refused(void)
{
    load_seed("signed-update");
    uint32_t len = 0;
    const uint8_t *image = signed_bytes(SEED_KEY + 32 + 2, &len);
    const uint8_t(*key)[TRUST_KEY_SIZE] = (const uint8_t(*)[TRUST_KEY_SIZE])(seed + SEED_KEY);
    static uint8_t copy[8192];
    unsigned accepted = 0;
    /* Every byte of the header and body, and the last 64: the ED25519 TLV's value. */
    for (uint32_t at = 0; at < len; at++) {
        bool hashed_or_signature = at < 0x200 + 300 || at >= len - 64;
        if (!hashed_or_signature) continue;
        memcpy(copy, image, len);
        copy[at] ^= 0x01;
        if (image_signed_by(copy, len, key, 1) == NULL) accepted++;
    }
    CHECK_INT(accepted, 0);
}

static void a_key_list_body_gives_its_generation_and_keys(void)
{
    load_seed("key-list-handover");
    uint32_t len = 0;
    const uint8_t *update = signed_bytes(SEED_KEY + 32 + 1, &len); /* OP_TRUST_UPDATE */
    struct trust_keys keys;
    CHECK(key_list_body(update, len, &keys));
    CHECK_INT(keys.generation, 1);
    CHECK_INT(keys.count, 1);
    CHECK(memcmp(keys.key[0], seed + SEED_KEY, TRUST_KEY_SIZE) != 0); /* the successor's key */
    const uint8_t(*vendor)[TRUST_KEY_SIZE] = (const uint8_t(*)[TRUST_KEY_SIZE])(seed + SEED_KEY);
    CHECK(image_signed_by(update, len, vendor, 1) == NULL);
    CHECK(!key_list_body(update, 40, &keys));
}

static void a_provisioned_trust_store_reads_back_and_an_erased_one_does_not(void)
{
    struct file_flash_geometry geometry = {
        .area_size = {4096, 4096, 4096, 2 * 1024}, .sector_size = 1024, .write_align = 8, .erased_value = 0xFF};
    char error[128];
    struct file_flash *flash = file_flash_open(NULL, &geometry, error, sizeof error);
    CHECK(flash != NULL);
    if (!flash) return;
    struct trust_keys keys = {.count = 2, .generation = 0}, read;
    memset(keys.key, 0xA5, sizeof keys.key);
    CHECK(!trust_store_read(flash, &geometry, &read));
    trust_store_provision(flash, &geometry, &keys);
    CHECK(trust_store_read(flash, &geometry, &read));
    CHECK_INT(read.count, 2);
    CHECK(memcmp(read.key, keys.key, 2 * TRUST_KEY_SIZE) == 0);
    file_flash_close(flash);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_signed_check <tests/fuzz/corpus>\n");
        return 2;
    }
    corpus = argv[1];
    RUN_TEST(an_imgtool_signed_image_verifies_with_its_key_only);
    RUN_TEST(any_flipped_byte_of_header_body_or_signature_is_refused);
    RUN_TEST(a_key_list_body_gives_its_generation_and_keys);
    RUN_TEST(a_provisioned_trust_store_reads_back_and_an_erased_one_does_not);
    return check_exit_status();
}
