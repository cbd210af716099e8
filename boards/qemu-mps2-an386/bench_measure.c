#include "bench_measure.h"

#include <string.h>

#include "agent_session.h"
#include "board.h"
#include "boot_sha256.h"
#include "cortexm_runtime.h"
#include "semihost.h"

#define CHUNK 4096u

static uint8_t chunk[CHUNK];

void bench_print_ram(const char *when)
{
    console_printf("measure heap_size %lu\n", (unsigned long)cortexm_heap_size());
    console_printf("measure stack_size %lu\n", (unsigned long)cortexm_stack_size());
    console_printf("measure agent_memory_limit %lu\n", (unsigned long)AGENT_MEMORY_LIMIT);
    console_printf("measure agent_stack_size %lu\n", (unsigned long)AGENT_STACK_SIZE);
    console_printf("measure %s_heap_high_water %lu\n", when, (unsigned long)cortexm_heap_high_water());
    console_printf("measure %s_stack_high_water %lu\n", when, (unsigned long)cortexm_stack_high_water());
}

void bench_hashing(otau_agent *agent, uint32_t total)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    for (uint32_t i = 0; i < CHUNK; i++) io[i] = (uint8_t)(i * 7 + 3);
    int32_t result = 0;
    uint64_t start = board_ticks();
    otau_agent_sha256_init(agent, &result);
    for (uint32_t done = 0; done < total; done += CHUNK) otau_agent_sha256_update(agent, CHUNK, &result);
    otau_agent_sha256_final(agent, &result);
    console_printf("measure agent_sha256_instructions_per_byte %lu\n", board_instructions(board_ticks() - start) / total);

    io = otau_agent_io_buffer(agent, &size);
    for (uint32_t i = 0; i < CHUNK; i++) io[i] = (uint8_t)(i * 7 + 3);
    static struct boot_sha256 context;
    uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
    start = board_ticks();
    boot_sha256_init(&context);
    for (uint32_t done = 0; done < total; done += CHUNK) boot_sha256_update(&context, io, CHUNK);
    boot_sha256_final(&context, digest);
    console_printf("measure native_sha256_instructions_per_byte %lu\n", board_instructions(board_ticks() - start) / total);
}

/* RFC 8032 7.1 TEST SHA(abc): signature, key and its 64-byte message, as the agent's I/O buffer takes them. */
static const char ED25519_CASE[] =
    "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
    "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf"
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

static uint8_t hex_digit(char c)
{
    return (uint8_t)(c <= '9' ? c - '0' : c - 'a' + 10);
}

bool bench_ed25519(otau_agent *agent)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    uint32_t len = (uint32_t)(sizeof ED25519_CASE - 1) / 2;
    for (uint32_t i = 0; i < len; i++) io[i] = (uint8_t)(hex_digit(ED25519_CASE[2 * i]) << 4 | hex_digit(ED25519_CASE[2 * i + 1]));
    int32_t result = 0;
    uint64_t start = board_ticks();
    int status = otau_agent_ed25519_verify(agent, len - 96, &result);
    uint64_t ticks = board_ticks() - start;
    console_printf("smoke: ed25519 RFC 8032 TEST SHA(abc): %s\n", status == OTAU_AGENT_OK && result == 1 ? "valid" : "NOT VALID");
    console_printf("measure agent_ed25519_instructions %lu\n", board_instructions(ticks));
    return status == OTAU_AGENT_OK && result == 1;
}

void bench_native_hash_and_copy(const uint8_t *slot, uint32_t size)
{
    static struct boot_sha256 context;
    uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
    uint64_t start = board_ticks();
    boot_sha256_init(&context);
    for (uint32_t at = 0; at < size; at += CHUNK) {
        uint32_t n = size - at < CHUNK ? size - at : CHUNK;
        memcpy(chunk, slot + at, n);
        boot_sha256_update(&context, chunk, n);
    }
    boot_sha256_final(&context, digest);
    console_printf("measure native_hash_copy_instructions %lu\n", board_instructions(board_ticks() - start));
}
