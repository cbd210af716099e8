/*
 * The board's transport over semihosting: documents and images are files on the host side
 * of QEMU (relative to QEMU's working directory), statuses go to the console.
 *
 * A fetch of `http://<any host>/<name>` reads the file `<name>`; the body is delivered by
 * semihost_transport_step() from the main loop, one I/O buffer at a time, as an HTTP server
 * would: 200 (or 206 for a range), the data, then the end. A missing file answers 404.
 */
#ifndef SEMIHOST_TRANSPORT_H
#define SEMIHOST_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "otau_agent.h"

#define SEMIHOST_NAME_MAX 64

struct semihost_transport {
    int32_t file; /* semihosting handle, -1 when none is open */
    bool active;
    bool responded;
    int32_t http_status;
    uint32_t range_start;
    uint32_t total_length;
};

/* Before the first fetch: nothing open, nothing to deliver. */
void semihost_transport_init(struct semihost_transport *transport);

/* The HAL's transport hooks; `context` is a struct semihost_transport. */
int32_t semihost_fetch_start(void *context, const char *url, size_t url_len, uint32_t range_start);
void semihost_fetch_cancel(void *context);
int32_t semihost_publish(void *context, uint32_t channel, const uint8_t *document, size_t len);

/* True while a fetch has events left to deliver. */
bool semihost_transport_busy(const struct semihost_transport *transport);
/* Delivers the next event of the fetch in progress (response, one chunk, or the end).
 * Returns the core's status of that call (OTAU_AGENT_OK when nothing was pending). */
int semihost_transport_step(struct semihost_transport *transport, otau_agent *agent);

/* Reads a whole host file of at most `max` bytes into `dst`; returns its length or -1. */
int32_t semihost_read_file(const char *path, uint8_t *dst, uint32_t max);

#endif
