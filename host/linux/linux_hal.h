/* The Linux port of otau_hal.h: file-backed flash, log lines on a stream, monotonic clock, and
 * the transport hooks forwarded to whatever transport the command attached (command_run). */
#ifndef OTAU_LINUX_HAL_H
#define OTAU_LINUX_HAL_H

#include <stdbool.h>
#include <stdio.h>

#include "file_flash.h"
#include "otau_hal.h"

/* The transport half of the HAL, filled by the command that has a network (otau-host run). */
struct linux_transport {
    void *context;
    int32_t (*fetch_start)(void *context, const char *url, size_t url_len, uint32_t range_start);
    void (*fetch_cancel)(void *context);
    int32_t (*publish)(void *context, uint32_t channel, const uint8_t *document, size_t len);
};

struct linux_device {
    struct file_flash *flash; /* NULL: the device has no flash (every area is missing) */
    FILE *log_stream;         /* where log lines go, one per line */
    enum otau_log_level log_level; /* lines less severe than this are dropped */
    bool reset_requested;     /* set by reset(); the event loop restarts the device */
    const struct linux_transport *transport; /* NULL: fetch refused, reports dropped */
};

/* Fills `hal` with the Linux functions over `device`, which must outlive it. */
void linux_hal_init(struct otau_hal *hal, struct linux_device *device);

/* A line of the host's own in the device log, at `level`, prefixed "host: ". */
void linux_log(struct linux_device *device, enum otau_log_level level, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* OTAU_LINUX_HAL_H */
