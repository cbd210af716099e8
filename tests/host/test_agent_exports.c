/* build/agent.wasm's exports under the host core: boot, the I/O buffer, SHA-256 of the
 * FIPS 180-2 vectors streamed through the I/O buffer in several chunkings, and Ed25519 of
 * RFC 8032's first vector. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_device.h"

static const char *agent_path;

static void open_agent(struct test_device *test)
{
    test_device_open(test, agent_path, NULL); /* the default memory limit */
    int status = otau_agent_start(test->agent);
    CHECK_INT(status, OTAU_AGENT_OK);
    if (status != OTAU_AGENT_OK) fprintf(stderr, "start failed: %s\n", otau_agent_error(test->agent));
}

/* Hashes `len` bytes of `message` repeated `repeat` times, `chunk` bytes per update. */
static void agent_sha256(struct test_device *test, const char *message, size_t len, size_t repeat,
                         size_t chunk, char hex[65])
{
    int32_t result = -1;
    CHECK_INT(otau_agent_sha256_init(test->agent, &result), OTAU_AGENT_OK);
    CHECK_INT(result, 0);
    size_t total = len * repeat;
    for (size_t done = 0; done < total;) {
        uint32_t capacity = 0;
        uint8_t *io = otau_agent_io_buffer(test->agent, &capacity);
        size_t step = total - done < chunk ? total - done : chunk;
        if (!io || step > capacity) {
            CHECK(!"the I/O buffer holds a chunk");
            return;
        }
        for (size_t i = 0; i < step; i++) io[i] = (uint8_t)message[(done + i) % len];
        CHECK_INT(otau_agent_sha256_update(test->agent, (uint32_t)step, &result), OTAU_AGENT_OK);
        CHECK_INT(result, 0);
        done += step;
    }
    CHECK_INT(otau_agent_sha256_final(test->agent, &result), OTAU_AGENT_OK);
    CHECK_INT(result, 0);
    const uint8_t *digest = otau_agent_io_buffer(test->agent, NULL);
    for (int i = 0; digest && i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static void boot_logs_the_agent_version_and_returns_ok(void)
{
    struct test_device test;
    open_agent(&test);
    int32_t result = -1;
    CHECK_INT(otau_agent_boot(test.agent, &result), OTAU_AGENT_OK);
    CHECK_INT(result, 0);
    CHECK_CONTAINS(test_device_log(&test), "[info] otau agent ");
    CHECK_CONTAINS(test_device_log(&test), " booted\n");
    test_device_close(&test);
}

static void the_io_buffer_is_4096_bytes_inside_the_memory_limit(void)
{
    struct test_device test;
    open_agent(&test);
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(test.agent, &size);
    CHECK(io != NULL);
    CHECK_INT(size, 4096);
    test_device_close(&test);
}

static void sha256_of_the_standard_vectors(void)
{
    static const struct {
        const char *message;
        const char *digest;
    } vectors[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    struct test_device test;
    open_agent(&test);
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        size_t len = strlen(vectors[i].message);
        char hex[65] = "";
        agent_sha256(&test, vectors[i].message, len, 1, 4096, hex);
        CHECK_CONTAINS(hex, vectors[i].digest);
        if (len > 1) { /* byte by byte, across every block boundary */
            agent_sha256(&test, vectors[i].message, len, 1, 1, hex);
            CHECK_CONTAINS(hex, vectors[i].digest);
        }
    }
    test_device_close(&test);
}

static void sha256_of_a_million_a_in_any_chunking(void)
{
    static const char *const digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    static const size_t chunks[] = {4096, 4095, 65, 63};
    struct test_device test;
    open_agent(&test);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char hex[65] = "";
        agent_sha256(&test, "a", 1, 1000000, chunks[i], hex);
        CHECK_CONTAINS(hex, digest);
    }
    test_device_close(&test);
}

static void sha256_refuses_a_length_beyond_the_io_buffer(void)
{
    struct test_device test;
    open_agent(&test);
    int32_t result = 0;
    CHECK_INT(otau_agent_sha256_init(test.agent, &result), OTAU_AGENT_OK);
    CHECK_INT(otau_agent_sha256_update(test.agent, 4097, &result), OTAU_AGENT_OK);
    CHECK_INT(result, OTAU_ABI_LENGTH_TOO_LARGE);
    CHECK_INT(otau_agent_sha256_update(test.agent, 0xFFFFFFFFu, &result), OTAU_AGENT_OK);
    CHECK_INT(result, OTAU_ABI_LENGTH_TOO_LARGE);
    test_device_close(&test);
}

static void sha256_refuses_update_and_final_without_init(void)
{
    struct test_device test;
    open_agent(&test);
    int32_t result = 0;
    CHECK_INT(otau_agent_sha256_update(test.agent, 3, &result), OTAU_AGENT_OK);
    CHECK_INT(result, OTAU_ABI_WRONG_STATE);
    CHECK_INT(otau_agent_sha256_final(test.agent, &result), OTAU_AGENT_OK);
    CHECK_INT(result, OTAU_ABI_WRONG_STATE);
    char hex[65] = "";
    agent_sha256(&test, "abc", 3, 1, 4096, hex);
    CHECK_INT(otau_agent_sha256_final(test.agent, &result), OTAU_AGENT_OK);
    CHECK_INT(result, OTAU_ABI_WRONG_STATE); /* the hash closed with the first final */
    test_device_close(&test);
}

static void hex_bytes(const char *hex, uint8_t *out)
{
    for (size_t i = 0; hex[2 * i]; i++) sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

/* RFC 8032 section 7.1 TEST 1 (an empty message) laid out as the export reads the I/O buffer:
 * signature (64 bytes), public key (32), message. */
static void ed25519_verify_accepts_rfc8032_test_1_and_refuses_a_flipped_bit(void)
{
    struct test_device test;
    open_agent(&test);
    uint32_t capacity = 0;
    uint8_t *io = otau_agent_io_buffer(test.agent, &capacity);
    if (!io || capacity < 96) {
        CHECK(!"the I/O buffer holds a signature and a key");
        test_device_close(&test);
        return;
    }
    uint8_t input[96];
    hex_bytes("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
              "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", input);
    hex_bytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", input + 64);
    int32_t result = -1;
    memcpy(io, input, sizeof input);
    CHECK_INT(otau_agent_ed25519_verify(test.agent, 0, &result), OTAU_AGENT_OK);
    CHECK_INT(result, 1);
    input[3] ^= 0x10;
    memcpy(io, input, sizeof input);
    CHECK_INT(otau_agent_ed25519_verify(test.agent, 0, &result), OTAU_AGENT_OK);
    CHECK_INT(result, 0);
    test_device_close(&test);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_agent_exports <agent.wasm>\n");
        return 2;
    }
    agent_path = argv[1];
    RUN_TEST(boot_logs_the_agent_version_and_returns_ok);
    RUN_TEST(the_io_buffer_is_4096_bytes_inside_the_memory_limit);
    RUN_TEST(sha256_of_the_standard_vectors);
    RUN_TEST(sha256_of_a_million_a_in_any_chunking);
    RUN_TEST(sha256_refuses_a_length_beyond_the_io_buffer);
    RUN_TEST(sha256_refuses_update_and_final_without_init);
    RUN_TEST(ed25519_verify_accepts_rfc8032_test_1_and_refuses_a_flipped_bit);
    return check_exit_status();
}
