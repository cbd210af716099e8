#define _POSIX_C_SOURCE 200809L
#include "linux_hal.h"

#include <stdarg.h>
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

static enum otau_log_level clamp_level(enum otau_log_level level)
{
    return level <= OTAU_LOG_DEBUG ? level : OTAU_LOG_DEBUG;
}

static void agent_log(void *context, enum otau_log_level level, const char *text, size_t len)
{
    struct linux_device *device = device_of(context);
    level = clamp_level(level);
    if (level > device->log_level) return;
    fprintf(device->log_stream, "[%s] %.*s\n", level_names[level], (int)len, text);
    fflush(device->log_stream);
}

void linux_log(struct linux_device *device, enum otau_log_level level, const char *format, ...)
{
    level = clamp_level(level);
    if (level > device->log_level) return;
    va_list args;
    va_start(args, format);
    fprintf(device->log_stream, "[%s] host: ", level_names[level]);
    vfprintf(device->log_stream, format, args);
    fputc('\n', device->log_stream);
    fflush(device->log_stream);
    va_end(args);
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

/* The agent counts a refused fetch as a failed attempt (docs/abi.md). */
#define FETCH_REFUSED -1

static int32_t linux_fetch_start(void *context, const char *url, size_t url_len,
                                 uint32_t range_start)
{
    const struct linux_transport *transport = device_of(context)->transport;
    if (!transport || !transport->fetch_start) return FETCH_REFUSED;
    return transport->fetch_start(transport->context, url, url_len, range_start);
}

static void linux_fetch_cancel(void *context)
{
    const struct linux_transport *transport = device_of(context)->transport;
    if (transport && transport->fetch_cancel) transport->fetch_cancel(transport->context);
}

static int32_t linux_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    const struct linux_transport *transport = device_of(context)->transport;
    if (!transport || !transport->publish) return 0;
    return transport->publish(transport->context, channel, document, len);
}

void linux_hal_init(struct otau_hal *hal, struct linux_device *device)
{
    *hal = (struct otau_hal){
        .context = device,
        .flash_info = linux_flash_info,
        .flash_read = linux_flash_read,
        .flash_write = linux_flash_write,
        .flash_erase = linux_flash_erase,
        .log = agent_log,
        .clock_ms = linux_clock_ms,
        .reset = linux_reset,
        .fetch_start = linux_fetch_start,
        .fetch_cancel = linux_fetch_cancel,
        .publish = linux_publish,
    };
}
