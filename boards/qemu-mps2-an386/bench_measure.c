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
