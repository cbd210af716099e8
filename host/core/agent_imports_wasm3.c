/*
 * wasm3's side of the imports: every row of agent_import_specs is linked to one raw function
 * that reads the call's i32 arguments off wasm3's stack, runs the row's logic and turns its trap
 * outcomes into wasm3 traps.
 */
#include "agent_imports.h"
#include "agent_wasm3.h"
#include "m3_env.h"

/* The one glue of every import; the row it serves is its link's user data. */
m3ApiRawFunction(glue_import)
{
    const struct agent_import_spec *spec = _ctx->userdata;
    /* wasm3's raw calls: the result's slot first, then one 64-bit slot per argument. */
    int32_t *returned = spec->returns ? (int32_t *)(_sp++) : NULL;
    uint32_t args[AGENT_MAX_IMPORT_ARGS];
    for (uint32_t i = 0; i < spec->argc; i++) args[i] = *(uint32_t *)(_sp++);

    struct otau_agent *agent = m3_GetUserData(runtime);
    struct agent_guest guest = {agent->hal, _mem, m3_GetMemorySize(runtime), &agent->fatal};
    int32_t result = 0;
    enum agent_import_outcome outcome = spec->serve(&guest, args, &result);
    if (outcome == AGENT_IMPORT_OUT_OF_BOUNDS) return m3Err_trapOutOfBoundsMemoryAccess;
    if (outcome == AGENT_IMPORT_ABORTED) return m3Err_trapAbort;
    if (returned) *returned = result;
    return m3Err_none;
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

/* wasm3's notation of a signature: result(arguments), i = i32, v = none. */
static void write_signature(const struct agent_import_spec *spec,
                            char signature[AGENT_MAX_IMPORT_ARGS + 4])
{
    char *at = signature;
    *at++ = spec->returns ? 'i' : 'v';
    *at++ = '(';
    for (uint32_t i = 0; i < spec->argc; i++) *at++ = 'i';
    *at++ = ')';
    *at = '\0';
}

/* A module that does not use an import simply does not declare it. */
static M3Result link_import(IM3Module module, const char *name, const char *signature,
                            M3RawCall function, const void *userdata)
{
    M3Result result = m3_LinkRawFunctionEx(module, "env", name, signature, function, userdata);
    return result == m3Err_functionLookupFailed ? m3Err_none : result;
}

int agent_link_imports(struct otau_agent *agent, IM3Module module)
{
    for (size_t i = 0; i < AGENT_IMPORT_COUNT; i++) {
        const struct agent_import_spec *spec = &agent_import_specs[i];
        char signature[AGENT_MAX_IMPORT_ARGS + 4];
        write_signature(spec, signature);
        M3Result result = link_import(module, spec->name, signature, glue_import, spec);
        if (result)
            return agent_fail(agent, OTAU_AGENT_LOAD_FAILED, "cannot link import env.%s as %s: %s",
                              spec->name, signature, result);
    }
#ifdef OTAU_FUZZ_COVERAGE
    M3Result result = link_import(module, "fuzz_cover", "v(i)", glue_fuzz_cover, NULL);
    if (result)
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED, "cannot link import env.fuzz_cover: %s",
                          result);
#endif
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
