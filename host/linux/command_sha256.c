/* Streams a file through the agent's SHA-256 exports, one I/O buffer at a time: the same path
 * image verification takes, and the workload the benchmarks measure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "device_session.h"

#define SHA256_DIGEST_BYTES 32

static int hash_file(struct device_session *session, FILE *input, const char *path)
{
    int32_t result = 0;
    if (!device_session_call_ok(session, "sha256_init",
                                otau_agent_sha256_init(session->agent, &result), result))
        return HOST_EXIT_FAILED;
    for (;;) {
        uint32_t capacity = 0;
        /* Fetched again for every chunk: the pointer is only valid until the next call. */
        uint8_t *io = otau_agent_io_buffer(session->agent, &capacity);
        if (!io) {
            host_error("the agent has no I/O buffer");
            return HOST_EXIT_FAILED;
        }
        size_t got = fread(io, 1, capacity, input);
        if (ferror(input)) {
            host_error("cannot read %s: %s", path, strerror(errno));
            return HOST_EXIT_USAGE;
        }
        if (got == 0) break;
        if (!device_session_call_ok(session, "sha256_update",
                                    otau_agent_sha256_update(session->agent, (uint32_t)got, &result),
                                    result))
            return HOST_EXIT_FAILED;
    }
    if (!device_session_call_ok(session, "sha256_final",
                                otau_agent_sha256_final(session->agent, &result), result))
        return HOST_EXIT_FAILED;

    uint32_t capacity = 0;
    const uint8_t *digest = otau_agent_io_buffer(session->agent, &capacity);
    if (!digest || capacity < SHA256_DIGEST_BYTES) {
        host_error("the agent's I/O buffer cannot hold a digest");
        return HOST_EXIT_FAILED;
    }
    for (int i = 0; i < SHA256_DIGEST_BYTES; i++) printf("%02x", digest[i]);
    printf("\n");
    return HOST_EXIT_OK;
}

int command_sha256(int argc, char **argv)
{
    struct host_options options;
    char error[256];
    if (!host_options_parse(&options, argc, argv, HOST_OPTIONS_AGENT, error, sizeof error)) {
        host_error("sha256: %s", error);
        return HOST_EXIT_USAGE;
    }
    if (options.positional_count != 1) {
        host_error("sha256: expected one file to hash, got %d", options.positional_count);
        return HOST_EXIT_USAGE;
    }
    const char *path = options.positional[0];
    FILE *input = fopen(path, "rb");
    if (!input) {
        host_error("sha256: cannot open %s: %s", path, strerror(errno));
        return HOST_EXIT_USAGE;
    }
    struct device_session session;
    int status = device_session_open(&session, &options, false, stderr); /* stdout: the digest only */
    if (status == HOST_EXIT_OK) {
        status = hash_file(&session, input, path);
        device_session_close(&session);
    }
    fclose(input);
    return status;
}
