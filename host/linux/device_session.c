#include "device_session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A module larger than this is not an agent for a microcontroller. */
#define AGENT_MAX_BYTES (4u * 1024u * 1024u)

void host_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("otau-host: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

static int read_agent(struct device_session *session, const char *path)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        host_error("cannot open agent %s: %s", path, strerror(errno));
        return HOST_EXIT_USAGE;
    }
    long size = fseek(file, 0, SEEK_END) == 0 ? ftell(file) : -1;
    const char *problem = NULL;
    if (size < 0 || fseek(file, 0, SEEK_SET) != 0)
        problem = "it is not a regular file";
    else if (size == 0)
        problem = "the file is empty";
    else if ((unsigned long)size > AGENT_MAX_BYTES)
        problem = "it is larger than 4 MiB";
    else if (!(session->wasm = malloc((size_t)size)))
        problem = "out of memory";
    else if (fread(session->wasm, 1, (size_t)size, file) != (size_t)size)
        problem = "read error";
    fclose(file);
    if (problem) {
        host_error("cannot read agent %s: %s", path, problem);
        return HOST_EXIT_USAGE;
    }
    session->wasm_len = (uint32_t)size;
    return HOST_EXIT_OK;
}

int device_session_open(struct device_session *session, const struct host_options *options,
                        bool with_flash, FILE *log_stream)
{
    memset(session, 0, sizeof *session);
    session->device.log_stream = log_stream;
    session->device.log_level = options->log_level;
    int status = read_agent(session, options->agent_path);
    if (status != HOST_EXIT_OK) {
        device_session_close(session);
        return status;
    }
    if (with_flash) {
        char error[256];
        session->device.flash =
            file_flash_open(options->flash_path, &options->flash_geometry, error, sizeof error);
        if (!session->device.flash) {
            host_error("%s", error);
            device_session_close(session);
            return HOST_EXIT_USAGE;
        }
    }
    linux_hal_init(&session->hal, &session->device);
    session->agent =
        otau_agent_new(&session->hal, session->wasm, session->wasm_len, &options->agent_config);
    if (!session->agent) {
        host_error("out of memory for the agent");
        device_session_close(session);
        return HOST_EXIT_FAILED;
    }
    if (otau_agent_start(session->agent) != OTAU_AGENT_OK) {
        host_error("cannot start agent %s: %s", options->agent_path,
                   otau_agent_error(session->agent));
        device_session_close(session);
        return HOST_EXIT_FAILED;
    }
    return HOST_EXIT_OK;
}

void device_session_close(struct device_session *session)
{
    otau_agent_free(session->agent); /* before the module bytes it reads */
    file_flash_close(session->device.flash);
    free(session->wasm);
    memset(session, 0, sizeof *session);
}

bool device_session_call_ok(struct device_session *session, const char *what, int status,
                            int32_t result)
{
    if (status != OTAU_AGENT_OK) {
        host_error("%s failed: %s", what, otau_agent_error(session->agent));
        return false;
    }
    if (result != 0) {
        host_error("%s returned %d", what, (int)result);
        return false;
    }
    return true;
}
