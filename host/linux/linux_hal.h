/* The Linux port of otau_hal.h: file-backed flash, log lines on a stream, monotonic clock. */
#ifndef OTAU_LINUX_HAL_H
#define OTAU_LINUX_HAL_H

#include <stdbool.h>
#include <stdio.h>

#include "file_flash.h"
#include "otau_hal.h"

struct linux_device {
    struct file_flash *flash; /* NULL: the device has no flash (every area is missing) */
    FILE *log_stream;         /* where log lines go, one per line */
    bool reset_requested;     /* set by reset(); the event loop restarts the agent */
};

/* Fills `hal` with the Linux functions over `device`, which must outlive it. The transport
 * hooks stay NULL until the event loop (libcurl, libmosquitto) exists. */
void linux_hal_init(struct otau_hal *hal, struct linux_device *device);

#endif /* OTAU_LINUX_HAL_H */
