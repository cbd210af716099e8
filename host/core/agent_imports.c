/*
 * The imports' logic, shared by both runtimes (agent_imports.h): pointer checks first, then the
 * HAL call. A port that lacks a HAL function gets the ABI's refusal, never a crash.
 */
#include <stdio.h>
#include <string.h>

#include "agent_imports.h"
#include "agent_ed25519.h"
#include "agent_sha256.h"

#define FLASH_INFO_BYTES 16

/* The guest range [at, at + len) as a host pointer, or NULL when it is not all inside memory. */
static uint8_t *guest_bytes(const struct agent_guest *guest, uint32_t at, uint32_t len)
{
    if (at == 0 || (uint64_t)at + len > guest->memory_size) return NULL;
    return guest->memory + at;
}

static void store_u32_le(uint8_t *at, uint32_t value)
{
    at[0] = (uint8_t)value;
    at[1] = (uint8_t)(value >> 8);
    at[2] = (uint8_t)(value >> 16);
    at[3] = (uint8_t)(value >> 24);
}

static enum agent_import_outcome serve_log(const struct agent_guest *guest,
                                           const uint32_t *args, int32_t *result)
{
    uint32_t level = args[0];
    uint32_t text = args[1];
    uint32_t len = args[2];
    (void)result;
    const uint8_t *bytes = guest_bytes(guest, text, len);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    const struct otau_hal *hal = guest->hal;
    if (level > OTAU_LOG_DEBUG) level = OTAU_LOG_DEBUG;
    if (hal->log) hal->log(hal->context, (enum otau_log_level)level, (const char *)bytes, len);
    return AGENT_IMPORT_RETURNED;
}

/* Keeps the agent's message and traps: the agent must not run on after an abort. */
static enum agent_import_outcome serve_fatal(const struct agent_guest *guest,
                                             const uint32_t *args, int32_t *result)
{
    uint32_t text = args[0];
    uint32_t len = args[1];
    uint32_t line = args[2];
    uint32_t column = args[3];
    (void)result;
    const uint8_t *bytes = guest_bytes(guest, text, len);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    struct agent_fatal *fatal = guest->fatal;
    uint32_t kept = len < AGENT_FATAL_TEXT_MAX - 1 ? len : AGENT_FATAL_TEXT_MAX - 1;
    memcpy(fatal->text, bytes, kept);
    fatal->text[kept] = '\0';
    fatal->line = line;
    fatal->column = column;
    fatal->called = true;
    return AGENT_IMPORT_ABORTED;
}

static enum agent_import_outcome serve_flash_info(const struct agent_guest *guest,
                                                  const uint32_t *args, int32_t *result)
{
    uint32_t area = args[0];
    uint32_t out = args[1];
    uint8_t *bytes = guest_bytes(guest, out, FLASH_INFO_BYTES);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    const struct otau_hal *hal = guest->hal;
    if (!hal->flash_info) {
        *result = OTAU_FLASH_NO_SUCH_AREA;
        return AGENT_IMPORT_RETURNED;
    }
    struct otau_flash_area_info info;
    *result = hal->flash_info(hal->context, area, &info);
    if (*result == OTAU_FLASH_OK) {
        store_u32_le(bytes, info.size);
        store_u32_le(bytes + 4, info.sector_size);
        store_u32_le(bytes + 8, info.write_align);
        store_u32_le(bytes + 12, info.erased_value);
    }
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_flash_read(const struct agent_guest *guest,
                                                  const uint32_t *args, int32_t *result)
{
    uint32_t area = args[0];
    uint32_t offset = args[1];
    uint32_t dst = args[2];
    uint32_t len = args[3];
    uint8_t *bytes = guest_bytes(guest, dst, len);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    const struct otau_hal *hal = guest->hal;
    *result = hal->flash_read ? hal->flash_read(hal->context, area, offset, bytes, len)
                              : OTAU_FLASH_NO_SUCH_AREA;
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_flash_write(const struct agent_guest *guest,
                                                   const uint32_t *args, int32_t *result)
{
    uint32_t area = args[0];
    uint32_t offset = args[1];
    uint32_t src = args[2];
    uint32_t len = args[3];
    const uint8_t *bytes = guest_bytes(guest, src, len);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    const struct otau_hal *hal = guest->hal;
    *result = hal->flash_write ? hal->flash_write(hal->context, area, offset, bytes, len)
                               : OTAU_FLASH_NO_SUCH_AREA;
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_flash_erase(const struct agent_guest *guest,
                                                   const uint32_t *args, int32_t *result)
{
    uint32_t area = args[0];
    uint32_t offset = args[1];
    uint32_t len = args[2];
    const struct otau_hal *hal = guest->hal;
    *result = hal->flash_erase ? hal->flash_erase(hal->context, area, offset, len)
                               : OTAU_FLASH_NO_SUCH_AREA;
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_report(const struct agent_guest *guest,
                                              const uint32_t *args, int32_t *result)
{
    uint32_t channel = args[0];
    uint32_t document = args[1];
    uint32_t len = args[2];
    (void)result;
    const uint8_t *bytes = guest_bytes(guest, document, len);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    const struct otau_hal *hal = guest->hal;
    int32_t published = hal->publish ? hal->publish(hal->context, channel, bytes, len) : 0;
    /* The agent cannot act on a lost report (`report` returns nothing): the device log says so. */
    if (published != 0 && hal->log) {
        char line[64];
        int line_len = snprintf(line, sizeof line, "report on channel %u not published (code %d)",
                                (unsigned)channel, (int)published);
        if (line_len > 0)
            hal->log(hal->context, OTAU_LOG_WARN, line,
                     (size_t)line_len < sizeof line ? (size_t)line_len : sizeof line - 1);
    }
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_fetch(const struct agent_guest *guest,
                                             const uint32_t *args, int32_t *result)
{
    uint32_t url = args[0];
    uint32_t len = args[1];
    uint32_t offset = args[2];
    const uint8_t *bytes = guest_bytes(guest, url, len);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    const struct otau_hal *hal = guest->hal;
    *result = hal->fetch_start ? hal->fetch_start(hal->context, (const char *)bytes, len, offset)
                               : OTAU_IMPORT_NOT_PROVIDED;
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_fetch_cancel(const struct agent_guest *guest,
                                                    const uint32_t *args, int32_t *result)
{
    (void)args;
    (void)result;
    const struct otau_hal *hal = guest->hal;
    if (hal->fetch_cancel) hal->fetch_cancel(hal->context);
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_apply_json(const struct agent_guest *guest,
                                                  const uint32_t *args, int32_t *result)
{
    uint32_t json = args[0];
    uint32_t len = args[1];
    const uint8_t *bytes = guest_bytes(guest, json, len);
    if (!bytes) return AGENT_IMPORT_OUT_OF_BOUNDS;
    const struct otau_hal *hal = guest->hal;
    *result = hal->apply_json ? hal->apply_json(hal->context, (const char *)bytes, len) : OTAU_IMPORT_NOT_PROVIDED;
    return AGENT_IMPORT_RETURNED;
}

static enum agent_import_outcome serve_reset(const struct agent_guest *guest,
                                             const uint32_t *args, int32_t *result)
{
    (void)args;
    (void)result;
    const struct otau_hal *hal = guest->hal;
    if (hal->reset) hal->reset(hal->context);
    return AGENT_IMPORT_RETURNED;
}

/* Each operation's memory is checked before the hash touches it: the context always (but for
 * the probe), the data for Update, the digest for Final. */
static enum agent_import_outcome serve_sha256_native(const struct agent_guest *guest,
                                                     const uint32_t *args, int32_t *result)
{
    uint32_t op = args[0];
    uint32_t context = args[1];
    uint32_t data = args[2];
    uint32_t len = args[3];
    uint8_t *context_bytes = NULL;
    uint8_t *data_bytes = NULL;
    if (op != OTAU_SHA256_PROBE &&
        !(context_bytes = guest_bytes(guest, context, AGENT_SHA256_CONTEXT_BYTES)))
        return AGENT_IMPORT_OUT_OF_BOUNDS;
    if (op == OTAU_SHA256_UPDATE && len > 0 && !(data_bytes = guest_bytes(guest, data, len)))
        return AGENT_IMPORT_OUT_OF_BOUNDS;
    if (op == OTAU_SHA256_FINAL &&
        !(data_bytes = guest_bytes(guest, data, AGENT_SHA256_DIGEST_BYTES)))
        return AGENT_IMPORT_OUT_OF_BOUNDS;
    *result = agent_sha256(op, context_bytes, data_bytes, len, data_bytes);
    return AGENT_IMPORT_RETURNED;
}

/* The signature, key and message are checked before the verifier reads them. */
static enum agent_import_outcome serve_ed25519_native(const struct agent_guest *guest,
                                                      const uint32_t *args, int32_t *result)
{
    const uint8_t *signature = guest_bytes(guest, args[0], 64);
    const uint8_t *public_key = guest_bytes(guest, args[1], 32);
    uint32_t len = args[3];
    const uint8_t *message = len > 0 ? guest_bytes(guest, args[2], len) : NULL;
    if (!signature || !public_key || (len > 0 && !message)) return AGENT_IMPORT_OUT_OF_BOUNDS;
    *result = agent_ed25519(signature, public_key, message, len);
    return AGENT_IMPORT_RETURNED;
}

const struct agent_import_spec agent_import_specs[AGENT_IMPORT_COUNT] = {
    [AGENT_IMPORT_LOG] = {"log", 3, false, serve_log},
    [AGENT_IMPORT_FATAL] = {"fatal", 4, false, serve_fatal},
    [AGENT_IMPORT_FLASH_INFO] = {"flash_info", 2, true, serve_flash_info},
    [AGENT_IMPORT_FLASH_READ] = {"flash_read", 4, true, serve_flash_read},
    [AGENT_IMPORT_FLASH_WRITE] = {"flash_write", 4, true, serve_flash_write},
    [AGENT_IMPORT_FLASH_ERASE] = {"flash_erase", 3, true, serve_flash_erase},
    [AGENT_IMPORT_REPORT] = {"report", 3, false, serve_report},
    [AGENT_IMPORT_FETCH] = {"fetch", 3, true, serve_fetch},
    [AGENT_IMPORT_FETCH_CANCEL] = {"fetch_cancel", 0, false, serve_fetch_cancel},
    [AGENT_IMPORT_APPLY_JSON] = {"apply_json", 2, true, serve_apply_json},
    [AGENT_IMPORT_RESET] = {"reset", 0, false, serve_reset},
    [AGENT_IMPORT_SHA256_NATIVE] = {"sha256_native", 4, true, serve_sha256_native},
    [AGENT_IMPORT_ED25519_NATIVE] = {"ed25519_native", 4, true, serve_ed25519_native},
};
