/*
 * The hardware abstraction layer: everything a port (a board, or the Linux gateway) provides
 * to the host core. This header is the whole porting surface; the core calls nothing else.
 *
 * A port fills one `otau_hal` with its functions and a context pointer and hands it to
 * otau_agent_new(). The table is read-only for the core, so a port may keep it `const` in
 * flash. Every function is called from the thread that drives the agent; none may block for
 * long (the agent never blocks, and a slow HAL call stalls every event behind it).
 */
#ifndef OTAU_HAL_H
#define OTAU_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "otau_abi.h" /* areas, flash results, log levels */

#ifdef __cplusplus
extern "C" {
#endif

/* How an area looks; the agent assumes nothing beyond what this says. */
struct otau_flash_area_info {
    uint32_t size;         /* bytes, a multiple of sector_size */
    uint32_t sector_size;  /* the erase unit */
    uint32_t write_align;  /* offsets and lengths of writes are multiples of this (1, 4, 8, 16 ...) */
    uint32_t erased_value; /* the value of every byte after an erase: 0xFF or 0x00 */
};

struct otau_hal {
    /* Passed back as the first argument of every function below. */
    void *context;

    /* ---- Flash. Offsets and lengths are relative to the area; all return enum otau_flash_result.
     * The core has already checked that the agent's buffer is inside its memory; the port checks
     * the area, the range and the alignment, and must change nothing when it refuses. */
    int32_t (*flash_info)(void *context, uint32_t area, struct otau_flash_area_info *info);
    int32_t (*flash_read)(void *context, uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len);
    int32_t (*flash_write)(void *context, uint32_t area, uint32_t offset, const uint8_t *src,
                           uint32_t len);
    int32_t (*flash_erase)(void *context, uint32_t area, uint32_t offset, uint32_t len);

    /* ---- Device services. */
    /* One log line of `len` bytes of UTF-8, not NUL-terminated, without a trailing newline. */
    void (*log)(void *context, enum otau_log_level level, const char *text, size_t len);
    /* Milliseconds from a monotonic clock; only differences are meaningful. */
    uint64_t (*clock_ms)(void *context);
    /* Restart the device (on a board this does not return; on Linux the host restarts the agent). */
    void (*reset)(void *context);

    /* ---- Transport. Results are delivered later as events into the core (responses, data,
     * end of data); these functions only start or stop work and return 0 or a negative error.
     * A port without a transport leaves them NULL. */
    /* Start an HTTP(S) GET of `url` (`url_len` bytes) asking for bytes from `range_start` on. */
    int32_t (*fetch_start)(void *context, const char *url, size_t url_len, uint32_t range_start);
    /* Stop the fetch in progress; no events for it are delivered afterwards. */
    void (*fetch_cancel)(void *context);
    /* Publish one document (e.g. a status report) on a cloud channel the agent names. */
    int32_t (*publish)(void *context, uint32_t channel, const uint8_t *document, size_t len);

    /* ---- Application. A `JSON` config's payload object for the application to apply:
     * 0 when applied, a negative code when refused. NULL: every JSON payload is refused. */
    int32_t (*apply_json)(void *context, const char *json, size_t len);
};

#ifdef __cplusplus
}
#endif

#endif /* OTAU_HAL_H */
