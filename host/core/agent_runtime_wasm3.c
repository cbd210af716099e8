/*
 * The runtime of agent_runtime.h under wasm3: the module, loaded at run time, is parsed, linked
 * and compiled up front into a wasm3 runtime of the configured value stack and memory limit.
 */
#include <stdlib.h>

#include "agent_runtime.h"
#include "agent_wasm3.h"
#include "m3_env.h" /* runtime->memoryLimit is an internal field */

struct agent_runtime {
    IM3Environment environment;
    IM3Runtime instance; /* NULL while none is set up */
};

struct agent_runtime *agent_runtime_new(const struct otau_agent *agent)
{
    (void)agent;
    struct agent_runtime *runtime = calloc(1, sizeof *runtime);
    if (!runtime) return NULL;
    runtime->environment = m3_NewEnvironment();
    if (!runtime->environment) {
        free(runtime);
        return NULL;
    }
    return runtime;
}

void agent_runtime_free(struct agent_runtime *runtime)
{
    m3_FreeEnvironment(runtime->environment);
    free(runtime);
}

void agent_runtime_drop(struct otau_agent *agent)
{
    struct agent_runtime *runtime = agent->runtime;
    if (runtime->instance) m3_FreeRuntime(runtime->instance); /* also frees the loaded module */
    runtime->instance = NULL;
}

int agent_runtime_instantiate(struct otau_agent *agent)
{
    struct agent_runtime *runtime = agent->runtime;
    if (agent->config.stack_size < OTAU_AGENT_MIN_STACK_SIZE)
        return agent_fail(agent, OTAU_AGENT_BAD_ARGUMENT,
                          "stack size %u is below the minimum of %u bytes",
                          (unsigned)agent->config.stack_size, OTAU_AGENT_MIN_STACK_SIZE);

    runtime->instance = m3_NewRuntime(runtime->environment, agent->config.stack_size, agent);
    if (!runtime->instance)
        return agent_fail(agent, OTAU_AGENT_OUT_OF_MEMORY, "cannot allocate a wasm3 runtime");
    /* Must be set before the module is loaded: loading allocates the memory. */
    runtime->instance->memoryLimit = agent->config.memory_limit;

    IM3Module module = NULL;
    M3Result failure = m3_ParseModule(runtime->environment, &module, agent->wasm, agent->wasm_len);
    if (failure)
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED, "the agent module is not valid: %s",
                          failure);
    failure = m3_LoadModule(runtime->instance, module);
    if (failure) {
        m3_FreeModule(module); /* still ours: loading failed */
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                          "cannot load the agent module with a %u-byte memory limit: %s",
                          (unsigned)agent->config.memory_limit, failure);
    }
    int status = agent_link_imports(agent, module);
    if (status != OTAU_AGENT_OK) return status;
    /* Compile everything now: lazy compilation could run out of memory in the middle of an update. */
    failure = m3_CompileModule(module);
    if (failure)
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED, "cannot compile the agent module: %s",
                          failure);
    return OTAU_AGENT_OK;
}

const void *agent_runtime_export(struct otau_agent *agent, const char *name, uint32_t argc,
                                 bool *fits)
{
    IM3Function function = NULL;
    if (m3_FindFunction(&function, agent->runtime->instance, name)) return NULL;
    *fits = argc <= AGENT_MAX_EXPORT_ARGS && m3_GetArgCount(function) == argc &&
            m3_GetRetCount(function) <= 1 &&
            (m3_GetRetCount(function) == 0 || m3_GetRetType(function, 0) == c_m3Type_i32);
    for (uint32_t i = 0; *fits && i < argc; i++)
        *fits = m3_GetArgType(function, i) == c_m3Type_i32;
    return function;
}

int agent_runtime_call(struct otau_agent *agent, const void *export_function, uint32_t argc,
                       const uint32_t *args, int32_t *result, struct agent_trap *trap)
{
    IM3Function function = (IM3Function)export_function;
    const void *arg_pointers[AGENT_MAX_EXPORT_ARGS];
    for (uint32_t i = 0; i < argc; i++) arg_pointers[i] = &args[i];
    M3Result failure = m3_Call(function, argc, arg_pointers);
    if (failure) {
        M3ErrorInfo info;
        m3_GetErrorInfo(agent->runtime->instance, &info);
        *trap = (struct agent_trap){failure, info.message};
        return OTAU_AGENT_TRAPPED;
    }
    /* Cannot fail: the export's signature was checked when it was looked up. */
    if (m3_GetRetCount(function) == 1) {
        const void *result_pointers[1] = {result};
        m3_GetResults(function, 1, result_pointers);
    }
    return OTAU_AGENT_OK;
}

uint8_t *agent_runtime_memory(struct otau_agent *agent, uint32_t *size)
{
    uint32_t memory_size = 0;
    uint8_t *memory = m3_GetMemory(agent->runtime->instance, &memory_size, 0);
    if (size) *size = memory ? memory_size : 0;
    return memory;
}
