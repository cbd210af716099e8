/* The native SHA-256 behind the agent's sha256_native import (host/core/agent_sha256_native.c):
 * the FIPS 180-2 vectors the agent's own SHA-256 is held to (tests/agent/sha256.spec.ts), any
 * chunking, a context at any alignment, and refusal of operations and contexts it cannot use. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent_sha256.h"
#include "check.h"

/* One byte past an aligned start: agent memory gives no alignment guarantee. */
static uint8_t context_memory[AGENT_SHA256_CONTEXT_BYTES + 1];
static uint8_t *const context = context_memory + 1;

static void hex(const uint8_t *digest, char *out)
{
    for (unsigned i = 0; i < AGENT_SHA256_DIGEST_BYTES; i++) sprintf(out + 2 * i, "%02x", digest[i]);
}

/* Hashes `len` bytes of `data` in chunks of `step` through the import's operations. */
static void hash_in_steps(const uint8_t *data, size_t len, size_t step, char *out)
{
    uint8_t digest[AGENT_SHA256_DIGEST_BYTES];
    CHECK_INT(agent_sha256(OTAU_SHA256_INIT, context, NULL, 0, NULL), OTAU_SHA256_OK);
    for (size_t at = 0; at < len; at += step) {
        size_t n = len - at < step ? len - at : step;
        CHECK_INT(agent_sha256(OTAU_SHA256_UPDATE, context, data + at, (uint32_t)n, NULL), OTAU_SHA256_OK);
    }
    CHECK_INT(agent_sha256(OTAU_SHA256_FINAL, context, NULL, 0, digest), OTAU_SHA256_OK);
    hex(digest, out);
}

static void test_probe_answers_provided(void)
{
    CHECK_INT(agent_sha256(OTAU_SHA256_PROBE, NULL, NULL, 0, NULL), OTAU_SHA256_OK);
}

static void test_fips_vectors(void)
{
    static const struct {
        const char *text;
        size_t step;
        const char *digest;
    } vectors[] = {
        {"", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", 64, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 64,
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         65, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char out[2 * AGENT_SHA256_DIGEST_BYTES + 1];
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        hash_in_steps((const uint8_t *)vectors[i].text, strlen(vectors[i].text), vectors[i].step, out);
        CHECK(strcmp(out, vectors[i].digest) == 0);
    }
}

static void test_one_million_a_in_4096_byte_chunks(void)
{
    uint8_t *data = malloc(1000000);
    memset(data, 'a', 1000000);
    char out[2 * AGENT_SHA256_DIGEST_BYTES + 1];
    hash_in_steps(data, 1000000, 4096, out);
    CHECK(strcmp(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
    free(data);
}

static void test_every_chunking_gives_the_same_digest(void)
{
    const char *text = "The quick brown fox jumps over the lazy dog, then again and again until it spans blocks.";
    char whole[2 * AGENT_SHA256_DIGEST_BYTES + 1];
    char chunked[2 * AGENT_SHA256_DIGEST_BYTES + 1];
    hash_in_steps((const uint8_t *)text, strlen(text), 4096, whole);
    for (size_t step = 1; step <= 70; step++) {
        hash_in_steps((const uint8_t *)text, strlen(text), step, chunked);
        CHECK(strcmp(whole, chunked) == 0);
    }
}

static void test_unknown_operation_is_refused(void)
{
    CHECK_INT(agent_sha256(4, context, NULL, 0, NULL), OTAU_SHA256_BAD_OPERATION);
}

static void test_a_context_init_never_set_up_is_refused_unchanged(void)
{
    uint8_t digest[AGENT_SHA256_DIGEST_BYTES] = {0};
    memset(context, 0xEE, AGENT_SHA256_CONTEXT_BYTES); /* a count of waiting bytes past the block */
    CHECK_INT(agent_sha256(OTAU_SHA256_UPDATE, context, (const uint8_t *)"abc", 3, NULL),
              OTAU_SHA256_BAD_OPERATION);
    CHECK_INT(agent_sha256(OTAU_SHA256_FINAL, context, NULL, 0, digest), OTAU_SHA256_BAD_OPERATION);
    CHECK_INT(context[0], 0xEE);
    CHECK_INT(digest[0], 0);
}

int main(void)
{
    RUN_TEST(test_probe_answers_provided);
    RUN_TEST(test_fips_vectors);
    RUN_TEST(test_one_million_a_in_4096_byte_chunks);
    RUN_TEST(test_every_chunking_gives_the_same_digest);
    RUN_TEST(test_unknown_operation_is_refused);
    RUN_TEST(test_a_context_init_never_set_up_is_refused_unchanged);
    return check_exit_status();
}
