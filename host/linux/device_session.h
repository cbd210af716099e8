/* A running device for one otau-host command: the agent module, the Linux HAL over its flash,
 * and a started agent. Commands open one, deliver events, and close it. */
#ifndef OTAU_DEVICE_SESSION_H
#define OTAU_DEVICE_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host_options.h"
#include "linux_hal.h"
#include "otau_agent.h"

/* otau-host's exit codes. */
enum host_exit {
    HOST_EXIT_OK = 0,
    HOST_EXIT_FAILED = 1, /* the agent could not run or answered with an error */
    HOST_EXIT_USAGE = 2   /* bad arguments, missing or unreadable input files */
};

struct device_session {
    uint8_t *wasm;
    uint32_t wasm_len;
    struct linux_device device;
    struct otau_hal hal;
    otau_agent *agent;
};

/* Prints "otau-host: <message>" on stderr. */
void host_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Reads the agent, opens the flash when `with_flash` (from --flash, or in memory), and starts the
 * agent, whose log lines go to `log_stream`. Returns HOST_EXIT_OK, or the exit code after
 * printing why on stderr; on failure everything opened so far is closed. */
int device_session_open(struct device_session *session, const struct host_options *options,
                        bool with_flash, FILE *log_stream);
void device_session_close(struct device_session *session);

/* Checks one export call of a command: true when it ran and returned 0, else false after
 * printing why ("<what> failed: ..." or "<what> returned <n>") on stderr. */
bool device_session_call_ok(struct device_session *session, const char *what, int status,
                            int32_t result);

#endif /* OTAU_DEVICE_SESSION_H */
