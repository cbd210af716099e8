#include <string.h>

#include "agent_session.h"
#include "bench_hal.h"
#include "bench_measure.h"
#include "bench_modes.h"
#include "board.h"
#include "boot_sha256.h"
#include "semihost.h"

#define HASHED_BYTES (64u * 1024u)

static int hash_known_vector(otau_agent *agent, const char *text, const char *expected_hex)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    uint32_t len = (uint32_t)strlen(text);
    int32_t result = 0;
    memcpy(io, text, len);
    if (!call_ok(agent, otau_agent_sha256_init(agent, &result), result, "sha256_init") ||
        !call_ok(agent, otau_agent_sha256_update(agent, len, &result), result, "sha256_update") ||
        !call_ok(agent, otau_agent_sha256_final(agent, &result), result, "sha256_final"))
        return BOARD_EXIT_FAILED;
    io = otau_agent_io_buffer(agent, &size);
    static const char digits[] = "0123456789abcdef";
    char hex[2 * BOOT_SHA256_DIGEST_SIZE + 1];
    for (int i = 0; i < BOOT_SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[io[i] >> 4];
        hex[2 * i + 1] = digits[io[i] & 0xF];
    }
    hex[2 * BOOT_SHA256_DIGEST_SIZE] = '\0';
    bool match = strcmp(hex, expected_hex) == 0;
    console_printf("smoke: sha256(\"%s\") = %s: %s\n", text, hex, match ? "ok" : "WRONG");
    return match ? BOARD_EXIT_OK : BOARD_EXIT_FAILED;
}

int mode_smoke(void)
{
    otau_agent *agent = agent_new(&bench_hal);
    if (!agent) return BOARD_EXIT_FAILED;
    if (!agent_start(agent)) {
        otau_agent_free(agent);
        return BOARD_EXIT_FAILED;
    }
    int status = hash_known_vector(agent, "abc",
                                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    if (status == BOARD_EXIT_OK)
        status = hash_known_vector(agent, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    if (status == BOARD_EXIT_OK) bench_hashing(agent, HASHED_BYTES);
    if (status == BOARD_EXIT_OK && !bench_ed25519(agent)) status = BOARD_EXIT_FAILED;
    bench_print_ram("smoke");
    otau_agent_free(agent);
    return status;
}
