/* The agent's Ed25519 verifier driven directly: a file holding signature (64 bytes), public
 * key (32) and message, as the ed25519_verify export reads the I/O buffer. Prints "valid" or
 * "invalid". Repeating the verification lets a benchmark subtract start-up costs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "device_session.h"

#define SIGNATURE_AND_KEY_BYTES 96
#define MAX_TIMES 1000

static int verify_file(struct device_session *session, const uint8_t *bytes, size_t len, long times)
{
    int32_t result = 0;
    for (long i = 0; i < times; i++) {
        uint32_t capacity = 0;
        uint8_t *io = otau_agent_io_buffer(session->agent, &capacity);
        if (!io || len > capacity) {
            host_error("ed25519: %zu bytes do not fit the agent's %u-byte I/O buffer", len, capacity);
            return HOST_EXIT_USAGE;
        }
        memcpy(io, bytes, len);
        int status = otau_agent_ed25519_verify(session->agent, (uint32_t)(len - SIGNATURE_AND_KEY_BYTES), &result);
        if (status != OTAU_AGENT_OK || (result != 0 && result != 1)) {
            host_error("ed25519: ed25519_verify failed (%d, result %d): %s", status, result, otau_agent_error(session->agent));
            return HOST_EXIT_FAILED;
        }
    }
    printf("%s\n", result == 1 ? "valid" : "invalid");
    return HOST_EXIT_OK;
}

int command_ed25519(int argc, char **argv)
{
    struct host_options options;
    char error[256];
    if (!host_options_parse(&options, argc, argv, HOST_OPTIONS_AGENT, error, sizeof error)) {
        host_error("ed25519: %s", error);
        return HOST_EXIT_USAGE;
    }
    if (options.positional_count < 1 || options.positional_count > 2) {
        host_error("ed25519: expected a file and an optional repeat count, got %d arguments", options.positional_count);
        return HOST_EXIT_USAGE;
    }
    long times = 1;
    if (options.positional_count == 2) {
        char *end = NULL;
        times = strtol(options.positional[1], &end, 10);
        if (*end != '\0' || times < 1 || times > MAX_TIMES) {
            host_error("ed25519: repeat count must be 1 to %d, got '%s'", MAX_TIMES, options.positional[1]);
            return HOST_EXIT_USAGE;
        }
    }
    const char *path = options.positional[0];
    FILE *input = fopen(path, "rb");
    if (!input) {
        host_error("ed25519: cannot open %s: %s", path, strerror(errno));
        return HOST_EXIT_USAGE;
    }
    static uint8_t bytes[8192];
    size_t len = fread(bytes, 1, sizeof bytes, input);
    int too_long = !feof(input);
    fclose(input);
    if (too_long || len < SIGNATURE_AND_KEY_BYTES) {
        host_error("ed25519: %s must hold 96 to 4096 bytes (signature, key, message)", path);
        return HOST_EXIT_USAGE;
    }
    struct device_session session;
    int status = device_session_open(&session, &options, false, stderr);
    if (status == HOST_EXIT_OK) {
        status = verify_file(&session, bytes, len, times);
        device_session_close(&session);
    }
    return status;
}
