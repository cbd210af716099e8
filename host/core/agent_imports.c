/*
 * The one table of imports the agent may declare (module "env", docs/abi.md) and their
 * implementations. Every guest pointer is checked with m3ApiCheckMem against the memory wasm3
 * really allocated (the memory limit, not the page size the module sees) before it is touched;
 * a bad pointer traps the agent instead of reaching the HAL.
 */
#include <stdio.h>
#include <string.h>

#include "agent_instance.h"
#include "agent_sha256.h"
#include "m3_env.h"

#define AGENT_FROM_RUNTIME(runtime) ((struct otau_agent *)m3_GetUserData(runtime))
#define FLASH_INFO_BYTES 16

static void store_u32_le(uint8_t *at, uint32_t value)
{
    at[0] = (uint8_t)value;
    at[1] = (uint8_t)(value >> 8);
    at[2] = (uint8_t)(value >> 16);
    at[3] = (uint8_t)(value >> 24);
}

m3ApiRawFunction(import_log)
{
    m3ApiGetArg(uint32_t, level);
    m3ApiGetArgMem(const char *, text);
    m3ApiGetArg(uint32_t, len);
    m3ApiCheckMem(text, len);
    (void)_ctx;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (level > OTAU_LOG_DEBUG) level = OTAU_LOG_DEBUG;
    if (hal->log) hal->log(hal->context, (enum otau_log_level)level, text, len);
    m3ApiSuccess();
}

/* Keeps the agent's message and traps: the agent must not run on after an abort. */
m3ApiRawFunction(import_fatal)
{
    m3ApiGetArgMem(const char *, text);
    m3ApiGetArg(uint32_t, len);
    m3ApiGetArg(uint32_t, line);
    m3ApiGetArg(uint32_t, column);
    m3ApiCheckMem(text, len);
    (void)_ctx;

    struct otau_agent *agent = AGENT_FROM_RUNTIME(runtime);
    uint32_t kept = len < AGENT_FATAL_TEXT_MAX - 1 ? len : AGENT_FATAL_TEXT_MAX - 1;
    memcpy(agent->fatal_text, text, kept);
    agent->fatal_text[kept] = '\0';
    agent->fatal_line = line;
    agent->fatal_column = column;
    agent->fatal_called = true;
    m3ApiTrap(m3Err_trapAbort);
}

m3ApiRawFunction(import_flash_info)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArgMem(uint8_t *, out);
    m3ApiCheckMem(out, FLASH_INFO_BYTES);
    (void)_ctx;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (!hal->flash_info) m3ApiReturn(OTAU_FLASH_NO_SUCH_AREA);
    struct otau_flash_area_info info;
    int32_t status = hal->flash_info(hal->context, area, &info);
    if (status == OTAU_FLASH_OK) {
        store_u32_le(out, info.size);
        store_u32_le(out + 4, info.sector_size);
        store_u32_le(out + 8, info.write_align);
        store_u32_le(out + 12, info.erased_value);
    }
    m3ApiReturn(status);
}

m3ApiRawFunction(import_flash_read)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArg(uint32_t, offset);
    m3ApiGetArgMem(uint8_t *, dst);
    m3ApiGetArg(uint32_t, len);
    m3ApiCheckMem(dst, len);
    (void)_ctx;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (!hal->flash_read) m3ApiReturn(OTAU_FLASH_NO_SUCH_AREA);
    m3ApiReturn(hal->flash_read(hal->context, area, offset, dst, len));
}

m3ApiRawFunction(import_flash_write)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArg(uint32_t, offset);
    m3ApiGetArgMem(const uint8_t *, src);
    m3ApiGetArg(uint32_t, len);
    m3ApiCheckMem(src, len);
    (void)_ctx;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (!hal->flash_write) m3ApiReturn(OTAU_FLASH_NO_SUCH_AREA);
    m3ApiReturn(hal->flash_write(hal->context, area, offset, src, len));
}

m3ApiRawFunction(import_flash_erase)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArg(uint32_t, offset);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    (void)_mem;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (!hal->flash_erase) m3ApiReturn(OTAU_FLASH_NO_SUCH_AREA);
    m3ApiReturn(hal->flash_erase(hal->context, area, offset, len));
}

m3ApiRawFunction(import_report)
{
    m3ApiGetArg(uint32_t, channel);
    m3ApiGetArgMem(const uint8_t *, document);
    m3ApiGetArg(uint32_t, len);
    m3ApiCheckMem(document, len);
    (void)_ctx;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    int32_t published = hal->publish ? hal->publish(hal->context, channel, document, len) : 0;
    /* The agent cannot act on a lost report (`report` returns nothing): the device log says so. */
    if (published != 0 && hal->log) {
        char line[64];
        int line_len = snprintf(line, sizeof line, "report on channel %u not published (code %d)",
                                (unsigned)channel, (int)published);
        if (line_len > 0)
            hal->log(hal->context, OTAU_LOG_WARN, line,
                     (size_t)line_len < sizeof line ? (size_t)line_len : sizeof line - 1);
    }
    m3ApiSuccess();
}

m3ApiRawFunction(import_fetch)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArgMem(const char *, url);
    m3ApiGetArg(uint32_t, len);
    m3ApiGetArg(uint32_t, offset);
    m3ApiCheckMem(url, len);
    (void)_ctx;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (!hal->fetch_start) m3ApiReturn(OTAU_IMPORT_NOT_PROVIDED);
    m3ApiReturn(hal->fetch_start(hal->context, url, len, offset));
}

m3ApiRawFunction(import_fetch_cancel)
{
    (void)_ctx;
    (void)_mem;
    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (hal->fetch_cancel) hal->fetch_cancel(hal->context);
    m3ApiSuccess();
}

m3ApiRawFunction(import_apply_json)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArgMem(const char *, json);
    m3ApiGetArg(uint32_t, len);
    m3ApiCheckMem(json, len);
    (void)_ctx;

    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (!hal->apply_json) m3ApiReturn(OTAU_IMPORT_NOT_PROVIDED);
    m3ApiReturn(hal->apply_json(hal->context, json, len));
}

m3ApiRawFunction(import_reset)
{
    (void)_ctx;
    (void)_mem;
    const struct otau_hal *hal = AGENT_FROM_RUNTIME(runtime)->hal;
    if (hal->reset) hal->reset(hal->context);
    m3ApiSuccess();
}

/* Each operation's memory is checked before the hash touches it: the context always (but for
 * the probe), the data for Update, the digest for Final. */
m3ApiRawFunction(import_sha256_native)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, op);
    m3ApiGetArgMem(uint8_t *, context);
    m3ApiGetArgMem(uint8_t *, data);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;

    if (op != OTAU_SHA256_PROBE) m3ApiCheckMem(context, AGENT_SHA256_CONTEXT_BYTES);
    if (op == OTAU_SHA256_UPDATE && len > 0) m3ApiCheckMem(data, len);
    if (op == OTAU_SHA256_FINAL) m3ApiCheckMem(data, AGENT_SHA256_DIGEST_BYTES);
    m3ApiReturn(agent_sha256(op, context, data, len, data));
}

#ifdef OTAU_FUZZ_COVERAGE
/* The fuzz build only (tests/fuzz): its copy of the agent, instrumented by
 * tests/fuzz/instrument-agent.mjs, calls this at each of its coverage points. */
void otau_fuzz_cover(uint32_t point);

m3ApiRawFunction(import_fuzz_cover)
{
    m3ApiGetArg(uint32_t, point);
    (void)_ctx;
    (void)_mem;
    (void)runtime;
    otau_fuzz_cover(point);
    m3ApiSuccess();
}
#endif

static const struct agent_import {
    const char *name;
    const char *signature; /* wasm3 notation: result(arguments), i = i32, v = none */
    M3RawCall function;
} agent_imports[] = {
    {"log", "v(iii)", import_log},
    {"fatal", "v(iiii)", import_fatal},
    {"flash_info", "i(ii)", import_flash_info},
    {"flash_read", "i(iiii)", import_flash_read},
    {"flash_write", "i(iiii)", import_flash_write},
    {"flash_erase", "i(iii)", import_flash_erase},
    {"report", "v(iii)", import_report},
    {"fetch", "i(iii)", import_fetch},
    {"fetch_cancel", "v()", import_fetch_cancel},
    {"apply_json", "i(ii)", import_apply_json},
    {"reset", "v()", import_reset},
    {"sha256_native", "i(iiii)", import_sha256_native},
#ifdef OTAU_FUZZ_COVERAGE
    {"fuzz_cover", "v(i)", import_fuzz_cover},
#endif
};

int agent_link_imports(struct otau_agent *agent, IM3Module module)
{
    for (size_t i = 0; i < sizeof agent_imports / sizeof agent_imports[0]; i++) {
        const struct agent_import *import = &agent_imports[i];
        M3Result result = m3_LinkRawFunction(module, "env", import->name, import->signature,
                                             import->function);
        /* A module that does not use an import simply does not declare it. */
        if (result && result != m3Err_functionLookupFailed)
            return agent_fail(agent, OTAU_AGENT_LOAD_FAILED, "cannot link import env.%s as %s: %s",
                              import->name, import->signature, result);
    }
    /* Name the first import left unlinked: otherwise compilation fails with a vaguer message. */
    for (uint32_t i = 0; i < module->numFunctions; i++) {
        const M3Function *function = &module->functions[i];
        if (function->import.fieldUtf8 && !function->compiled)
            return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                              "the agent imports %s.%s, which this host does not provide",
                              function->import.moduleUtf8, function->import.fieldUtf8);
    }
    return OTAU_AGENT_OK;
}
