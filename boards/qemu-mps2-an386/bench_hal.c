#include "bench_hal.h"

#include "board_hal.h"

struct semihost_transport bench_transport;
bool bench_reset_requested;

/* The agent asks for a reset from inside a call: the update mode performs it once the call returns. */
static void bench_reset(void *context)
{
    (void)context;
    bench_reset_requested = true;
}

const struct otau_hal bench_hal = {
    .context = &bench_transport,
    .flash_info = board_flash_info,
    .flash_read = board_flash_read,
    .flash_write = board_flash_write,
    .flash_erase = board_flash_erase,
    .log = board_log,
    .clock_ms = board_clock_ms,
    .reset = bench_reset,
    .fetch_start = semihost_fetch_start,
    .fetch_cancel = semihost_fetch_cancel,
    .publish = semihost_publish,
};
