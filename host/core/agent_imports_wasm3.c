/*
 * wasm3's side of the imports: the one link table (name, wasm3 signature, glue) and glue that
 * reads each call's i32 arguments off wasm3's stack, runs the shared logic of agent_imports.c
 * and turns its trap outcomes into wasm3 traps.
 */
#include "agent_imports.h"
#include "agent_wasm3.h"
#include "m3_env.h"

static struct agent_guest guest_of(IM3Runtime runtime, void *memory)
{
    struct otau_agent *agent = m3_GetUserData(runtime);
    return (struct agent_guest){agent->hal, memory, m3_GetMemorySize(runtime), &agent->fatal};
}

static M3Result trap_of(enum agent_import_outcome outcome)
{
    if (outcome == AGENT_IMPORT_RETURNED) return m3Err_none;
    return outcome == AGENT_IMPORT_OUT_OF_BOUNDS ? m3Err_trapOutOfBoundsMemoryAccess
                                                 : m3Err_trapAbort;
}

/* The glue's shape: arguments, the shared logic, its trap or its result. */
#define GUEST struct agent_guest guest = guest_of(runtime, _mem)
#define RETURN_RESULT(outcome)                                                                     \
    do {                                                                                           \
        enum agent_import_outcome done = (outcome);                                                \
        if (done != AGENT_IMPORT_RETURNED) return trap_of(done);                                   \
        m3ApiReturn(result);                                                                       \
    } while (0)

m3ApiRawFunction(glue_log)
{
    m3ApiGetArg(uint32_t, level);
    m3ApiGetArg(uint32_t, text);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    GUEST;
    return trap_of(agent_import_log(&guest, level, text, len));
}

m3ApiRawFunction(glue_fatal)
{
    m3ApiGetArg(uint32_t, text);
    m3ApiGetArg(uint32_t, len);
    m3ApiGetArg(uint32_t, line);
    m3ApiGetArg(uint32_t, column);
    (void)_ctx;
    GUEST;
    return trap_of(agent_import_fatal(&guest, text, len, line, column));
}

m3ApiRawFunction(glue_flash_info)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArg(uint32_t, out);
    (void)_ctx;
    GUEST;
    int32_t result = 0;
    RETURN_RESULT(agent_import_flash_info(&guest, area, out, &result));
}

m3ApiRawFunction(glue_flash_read)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArg(uint32_t, offset);
    m3ApiGetArg(uint32_t, dst);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    GUEST;
    int32_t result = 0;
    RETURN_RESULT(agent_import_flash_read(&guest, area, offset, dst, len, &result));
}

m3ApiRawFunction(glue_flash_write)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArg(uint32_t, offset);
    m3ApiGetArg(uint32_t, src);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    GUEST;
    int32_t result = 0;
    RETURN_RESULT(agent_import_flash_write(&guest, area, offset, src, len, &result));
}

m3ApiRawFunction(glue_flash_erase)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, area);
    m3ApiGetArg(uint32_t, offset);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    GUEST;
    int32_t result = 0;
    RETURN_RESULT(agent_import_flash_erase(&guest, area, offset, len, &result));
}

m3ApiRawFunction(glue_report)
{
    m3ApiGetArg(uint32_t, channel);
    m3ApiGetArg(uint32_t, document);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    GUEST;
    return trap_of(agent_import_report(&guest, channel, document, len));
}

m3ApiRawFunction(glue_fetch)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, url);
    m3ApiGetArg(uint32_t, len);
    m3ApiGetArg(uint32_t, offset);
    (void)_ctx;
    GUEST;
    int32_t result = 0;
    RETURN_RESULT(agent_import_fetch(&guest, url, len, offset, &result));
}

m3ApiRawFunction(glue_fetch_cancel)
{
    (void)_ctx;
    (void)_sp;
    GUEST;
    return trap_of(agent_import_fetch_cancel(&guest));
}

m3ApiRawFunction(glue_apply_json)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, json);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    GUEST;
    int32_t result = 0;
    RETURN_RESULT(agent_import_apply_json(&guest, json, len, &result));
}

m3ApiRawFunction(glue_reset)
{
    (void)_ctx;
    (void)_sp;
    GUEST;
    return trap_of(agent_import_reset(&guest));
}

m3ApiRawFunction(glue_sha256_native)
{
    m3ApiReturnType(int32_t);
    m3ApiGetArg(uint32_t, op);
    m3ApiGetArg(uint32_t, context);
    m3ApiGetArg(uint32_t, data);
    m3ApiGetArg(uint32_t, len);
    (void)_ctx;
    GUEST;
    int32_t result = 0;
    RETURN_RESULT(agent_import_sha256_native(&guest, op, context, data, len, &result));
}

#ifdef OTAU_FUZZ_COVERAGE
/* The fuzz build only (tests/fuzz): its copy of the agent, instrumented by
 * tests/fuzz/instrument-agent.mjs, calls this at each of its coverage points. */
void otau_fuzz_cover(uint32_t point);

m3ApiRawFunction(glue_fuzz_cover)
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
    {"log", "v(iii)", glue_log},
    {"fatal", "v(iiii)", glue_fatal},
    {"flash_info", "i(ii)", glue_flash_info},
    {"flash_read", "i(iiii)", glue_flash_read},
    {"flash_write", "i(iiii)", glue_flash_write},
    {"flash_erase", "i(iii)", glue_flash_erase},
    {"report", "v(iii)", glue_report},
    {"fetch", "i(iii)", glue_fetch},
    {"fetch_cancel", "v()", glue_fetch_cancel},
    {"apply_json", "i(ii)", glue_apply_json},
    {"reset", "v()", glue_reset},
    {"sha256_native", "i(iiii)", glue_sha256_native},
#ifdef OTAU_FUZZ_COVERAGE
    {"fuzz_cover", "v(i)", glue_fuzz_cover},
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
