#define _POSIX_C_SOURCE 200809L
#include "linux_hal.h"

#include <time.h>

static const char *const level_names[] = {"error", "warn", "info", "debug"};

static struct linux_device *device_of(void *context)
{
    return (struct linux_device *)context;
}

static int32_t linux_flash_info(void *context, uint32_t area, struct otau_flash_area_info *info)
{
    struct file_flash *flash = device_of(context)->flash;
    return flash ? file_flash_info(flash, area, info) : OTAU_FLASH_NO_SUCH_AREA;
}

static int32_t linux_flash_read(void *context, uint32_t area, uint32_t offset, uint8_t *dst,
                                uint32_t len)
{
    struct file_flash *flash = device_of(context)->flash;
    return flash ? file_flash_read(flash, area, offset, dst, len) : OTAU_FLASH_NO_SUCH_AREA;
}

static int32_t linux_flash_write(void *context, uint32_t area, uint32_t offset, const uint8_t *src,
                                 uint32_t len)
{
    struct file_flash *flash = device_of(context)->flash;
    return flash ? file_flash_write(flash, area, offset, src, len) : OTAU_FLASH_NO_SUCH_AREA;
}

static int32_t linux_flash_erase(void *context, uint32_t area, uint32_t offset, uint32_t len)
{
    struct file_flash *flash = device_of(context)->flash;
    return flash ? file_flash_erase(flash, area, offset, len) : OTAU_FLASH_NO_SUCH_AREA;
}

static void linux_log(void *context, enum otau_log_level level, const char *text, size_t len)
{
    FILE *stream = device_of(context)->log_stream;
    fprintf(stream, "[%s] %.*s\n", level_names[level <= OTAU_LOG_DEBUG ? level : OTAU_LOG_DEBUG],
            (int)len, text);
    fflush(stream);
}

static uint64_t linux_clock_ms(void *context)
{
    (void)context;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static void linux_reset(void *context)
{
    device_of(context)->reset_requested = true;
}

void linux_hal_init(struct otau_hal *hal, struct linux_device *device)
{
    *hal = (struct otau_hal){
        .context = device,
        .flash_info = linux_flash_info,
        .flash_read = linux_flash_read,
        .flash_write = linux_flash_write,
        .flash_erase = linux_flash_erase,
        .log = linux_log,
        .clock_ms = linux_clock_ms,
        .reset = linux_reset,
    };
}
