#include "fuzz_device.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_check.h"

/* OTAU_FUZZ_VERBOSE set: the agent's log, fetches and reports on stderr, to read a finding. */
static bool verbose(void)
{
    static int cached = -1;
    if (cached < 0) cached = getenv("OTAU_FUZZ_VERBOSE") != NULL;
    return cached;
}

void fuzz_fail(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "fuzz oracle: ");
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    abort();
}

static struct fuzz_device *device_of(void *context)
{
    return (struct fuzz_device *)context;
}

static int32_t fuzz_flash_info(void *context, uint32_t area, struct otau_flash_area_info *info)
{
    return file_flash_info(device_of(context)->flash, area, info);
}

static int32_t fuzz_flash_read(void *context, uint32_t area, uint32_t offset, uint8_t *dst,
                               uint32_t len)
{
    struct fuzz_device *device = device_of(context);
    if (device->power_lost) return OTAU_FLASH_DEVICE_ERROR;
    int32_t result = file_flash_read(device->flash, area, offset, dst, len);
    if (result != OTAU_FLASH_OK)
        fuzz_fail("flash_read(area %u, offset %u, len %u) refused with %d", (unsigned)area,
                  (unsigned)offset, (unsigned)len, (int)result);
    return result;
}

/* Whether this write or erase is the one the armed fault hits. */
static bool fault_hits(struct fuzz_device *device)
{
    if (device->fault_mode == FUZZ_FAULT_NONE) return false;
    if (device->fault_countdown > 0) {
        device->fault_countdown--;
        return false;
    }
    return true;
}

static void check_target(struct fuzz_device *device, const char *what, uint32_t area,
                         uint32_t offset, uint32_t len)
{
    if (area < OTAU_AREA_COUNT && device->protected_area[area])
        fuzz_fail("%s of area %u (offset %u, len %u): the running image or its fallback", what,
                  (unsigned)area, (unsigned)offset, (unsigned)len);
}

static int32_t fuzz_flash_write(void *context, uint32_t area, uint32_t offset, const uint8_t *src,
                                uint32_t len)
{
    struct fuzz_device *device = device_of(context);
    if (device->power_lost) return OTAU_FLASH_DEVICE_ERROR;
    check_target(device, "flash_write", area, offset, len);
    if (fault_hits(device)) {
        enum fuzz_fault_mode mode = device->fault_mode;
        device->fault_mode = FUZZ_FAULT_NONE;
        device->fault_fired = true;
        if (mode == FUZZ_FAULT_REFUSE) return OTAU_FLASH_DEVICE_ERROR;
        /* Power cut: whole write units up to the cut, then nothing. */
        uint32_t align = device->geometry.write_align;
        uint32_t landed = (uint32_t)((uint64_t)len * device->fault_cut / 256u) / align * align;
        if (landed > 0) file_flash_write(device->flash, area, offset, src, landed);
        device->power_lost = true;
        return OTAU_FLASH_DEVICE_ERROR;
    }
    int32_t result = file_flash_write(device->flash, area, offset, src, len);
    if (result != OTAU_FLASH_OK)
        fuzz_fail("flash_write(area %u, offset %u, len %u) refused with %d", (unsigned)area,
                  (unsigned)offset, (unsigned)len, (int)result);
    return result;
}

static int32_t fuzz_flash_erase(void *context, uint32_t area, uint32_t offset, uint32_t len)
{
    struct fuzz_device *device = device_of(context);
    if (device->power_lost) return OTAU_FLASH_DEVICE_ERROR;
    check_target(device, "flash_erase", area, offset, len);
    if (fault_hits(device)) {
        enum fuzz_fault_mode mode = device->fault_mode;
        device->fault_mode = FUZZ_FAULT_NONE;
        device->fault_fired = true;
        if (mode == FUZZ_FAULT_REFUSE) return OTAU_FLASH_DEVICE_ERROR;
        /* Power cut: some whole sectors erased, then one left half erased (its first half
         * erased, the rest as it was: what survives of the old bytes must fail their checks). */
        uint32_t sector = device->geometry.sector_size;
        uint32_t landed = (uint32_t)((uint64_t)len * device->fault_cut / 256u) / sector * sector;
        if (landed > 0) file_flash_erase(device->flash, area, offset, landed);
        if (landed < len) {
            uint32_t half = sector / 2 / device->geometry.write_align * device->geometry.write_align;
            /* Strict flash only programs erased bytes: erase the sector, write its second half back. */
            uint8_t *old = malloc(sector);
            file_flash_read(device->flash, area, offset + landed, old, sector);
            file_flash_erase(device->flash, area, offset + landed, sector);
            file_flash_write(device->flash, area, offset + landed + half, old + half, sector - half);
            free(old);
        }
        device->power_lost = true;
        return OTAU_FLASH_DEVICE_ERROR;
    }
    int32_t result = file_flash_erase(device->flash, area, offset, len);
    if (result != OTAU_FLASH_OK)
        fuzz_fail("flash_erase(area %u, offset %u, len %u) refused with %d", (unsigned)area,
                  (unsigned)offset, (unsigned)len, (int)result);
    return result;
}

static void fuzz_log(void *context, enum otau_log_level level, const char *text, size_t len)
{
    (void)context;
    if (verbose()) fprintf(stderr, "[log %d] %.*s\n", (int)level, (int)len, text);
}

static uint64_t fuzz_clock_ms(void *context)
{
    (void)context;
    return 0; /* the agent's time comes from on_tick only */
}

static void fuzz_reset(void *context)
{
    device_of(context)->reset_requested = true;
}

static int32_t fuzz_fetch_start(void *context, const char *url, size_t url_len, uint32_t range_start)
{
    struct fuzz_device *device = device_of(context);
    if (url_len > FUZZ_URL_MAX) return -1; /* as a host that cannot take the URL */
    memcpy(device->fetch_url, url, url_len);
    device->fetch_url[url_len] = '\0';
    device->fetch_offset = range_start;
    device->fetch_active = true;
    device->fetch_count++;
    if (verbose()) fprintf(stderr, "[fetch] %s from %u\n", device->fetch_url, (unsigned)range_start);
    return 0;
}

static void fuzz_fetch_cancel(void *context)
{
    device_of(context)->fetch_active = false;
}

static int32_t fuzz_publish(void *context, uint32_t channel, const uint8_t *document, size_t len)
{
    struct fuzz_device *device = device_of(context);
    if (verbose()) fprintf(stderr, "[report %u] %.*s\n", (unsigned)channel, (int)len, document);
    const char *problem = report_check(channel, document, len);
    if (problem) fuzz_fail("report on channel %u: %s: %.*s", (unsigned)channel, problem, (int)len, document);
    if (channel != OTAU_CHANNEL_MURANO_OTAU_IN && channel != OTAU_CHANNEL_KAA_STATUS) return 0;
    char status[32], message[REPORT_MESSAGE_MAX + 1];
    report_field(document, len, "status", status, sizeof status);
    report_field(document, len, "message", message, sizeof message);
    if (strcmp(status, "INIT") == 0) device->fault_fired = false;
    /* A flash error is reported only after the harness injected one. */
    bool failure = strcmp(status, "DOWNLOAD_ERROR") == 0 || strcmp(status, "INSTALL_ERROR") == 0 ||
                   strcmp(status, "DOWNLOAD_STEP") == 0;
    if (failure && strstr(message, "flash") && strstr(message, "error") && !device->fault_fired)
        fuzz_fail("a flash error reported with no fault injected: %.*s", (int)len, document);
    return 0;
}

static int32_t fuzz_apply_json(void *context, const char *json, size_t len)
{
    (void)json, (void)len;
    return device_of(context)->apply_json_result;
}

void fuzz_device_open(struct fuzz_device *device, const struct file_flash_geometry *geometry)
{
    memset(device, 0, sizeof *device);
    char error[128];
    device->geometry = *geometry;
    device->flash = file_flash_open(NULL, geometry, error, sizeof error);
    if (!device->flash) fuzz_fail("cannot open the RAM flash: %s", error);
    device->hal = (struct otau_hal){
        .context = device,
        .flash_info = fuzz_flash_info,
        .flash_read = fuzz_flash_read,
        .flash_write = fuzz_flash_write,
        .flash_erase = fuzz_flash_erase,
        .log = fuzz_log,
        .clock_ms = fuzz_clock_ms,
        .reset = fuzz_reset,
        .fetch_start = fuzz_fetch_start,
        .fetch_cancel = fuzz_fetch_cancel,
        .publish = fuzz_publish,
        .apply_json = fuzz_apply_json,
    };
}

void fuzz_device_close(struct fuzz_device *device)
{
    file_flash_close(device->flash);
    device->flash = NULL;
}
