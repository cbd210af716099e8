/*
 * The runtime of agent_runtime.h for the agent translated ahead of time (agent_aot.h): the
 * module is compiled into the firmware instead of loaded. The `wasm` bytes passed to
 * otau_agent_new() may be NULL; bytes given must be the module this build translated (a start
 * refuses others), so that a host told to run an agent cannot silently run a different one. The
 * stack size is not used: the agent runs on the caller's stack, its call depth bounded by
 * WASM_RT_MAX_CALL_STACK_DEPTH. Linear memory is one buffer of the memory limit, allocated with
 * the agent and reused by every start.
 */
#include <stdlib.h>
#include <string.h>

#include "agent_aot.h"
#include "agent_runtime.h"
#include "boot_sha256.h"
#include "wasm_rt_mcu.h"

struct agent_runtime {
    void *instance;  /* agent_aot_instance_size bytes: the module's globals, memory and table */
    uint8_t *memory; /* config.memory_limit bytes */
    bool instantiated;
    struct Z_env_instance_t env;
};

struct agent_runtime *agent_runtime_new(const struct otau_agent *agent)
{
    struct agent_runtime *runtime = calloc(1, sizeof *runtime);
    if (!runtime) return NULL;
    runtime->instance = calloc(1, agent_aot_instance_size);
    runtime->memory = malloc(agent->config.memory_limit);
    if (!runtime->instance || !runtime->memory) {
        agent_runtime_free(runtime);
        return NULL;
    }
    return runtime;
}

void agent_runtime_free(struct agent_runtime *runtime)
{
    free(runtime->memory);
    free(runtime->instance);
    free(runtime);
}

void agent_runtime_drop(struct otau_agent *agent)
{
    struct agent_runtime *runtime = agent->runtime;
    if (runtime->instantiated) agent_aot_free(runtime->instance);
    runtime->instantiated = false;
}

/* Sets up the module's globals, memory (data segments copied in) and table. */
static void instantiate_module(void *argument)
{
    struct otau_agent *agent = argument;
    struct agent_runtime *runtime = agent->runtime;
    if (!wasm_rt_is_initialized()) {
        wasm_rt_init();
        agent_aot_init_module();
    }
    memset(runtime->instance, 0, agent_aot_instance_size);
    wasm_rt_mcu_provide_memory(runtime->memory, agent->config.memory_limit);
    agent_aot_instantiate(runtime->instance, &runtime->env);
    runtime->instantiated = true;
}

static bool is_translated_module(const uint8_t *wasm, uint32_t wasm_len)
{
    if (wasm_len != agent_aot_wasm_size) return false;
    struct boot_sha256 context;
    uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
    boot_sha256_init(&context);
    boot_sha256_update(&context, wasm, wasm_len);
    boot_sha256_final(&context, digest);
    return memcmp(digest, agent_aot_wasm_sha256, sizeof digest) == 0;
}

int agent_runtime_instantiate(struct otau_agent *agent)
{
    struct agent_runtime *runtime = agent->runtime;
    if (agent->wasm && agent->wasm_len && !is_translated_module(agent->wasm, agent->wasm_len))
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                          "the agent module given (%u bytes) is not the one this build "
                          "translated ahead of time (%u bytes)",
                          (unsigned)agent->wasm_len, (unsigned)agent_aot_wasm_size);
    runtime->env = (struct Z_env_instance_t){agent->hal, NULL, &agent->fatal};
    wasm_rt_trap_t trap = wasm_rt_mcu_run(instantiate_module, agent);
    if (trap != WASM_RT_TRAP_NONE) {
        agent_aot_free(runtime->instance); /* what was set up before the trap */
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                          "cannot load the agent module with a %u-byte memory limit: %s",
                          (unsigned)agent->config.memory_limit, wasm_rt_mcu_trap_text(trap));
    }
    runtime->env.memory = agent_aot_memory(runtime->instance);
    return OTAU_AGENT_OK;
}

/* The generated table holds only exports of i32 arguments and at most one i32 result. */
const void *agent_runtime_export(struct otau_agent *agent, const char *name, uint32_t argc,
                                 bool *fits)
{
    (void)agent;
    for (size_t i = 0; i < agent_aot_export_count; i++) {
        const struct agent_aot_export *function = &agent_aot_exports[i];
        if (strcmp(function->name, name) != 0) continue;
        *fits = function->argc == argc;
        return function;
    }
    return NULL;
}

/* One export call, as wasm_rt_mcu_run() runs it. */
struct export_call {
    void *instance;
    const struct agent_aot_export *function;
    const uint32_t *args;
    uint32_t value;
};

static void run_export(void *argument)
{
    struct export_call *call = argument;
    call->value = call->function->call(call->instance, call->args);
}

int agent_runtime_call(struct otau_agent *agent, const void *function, uint32_t argc,
                       const uint32_t *args, int32_t *result, struct agent_trap *trap)
{
    (void)argc; /* the export knows its own: checked when it was looked up */
    struct export_call call = {agent->runtime->instance, function, args, 0};
    wasm_rt_trap_t failure = wasm_rt_mcu_run(run_export, &call);
    if (failure != WASM_RT_TRAP_NONE) {
        *trap = (struct agent_trap){wasm_rt_mcu_trap_text(failure), NULL};
        return OTAU_AGENT_TRAPPED;
    }
    *result = (int32_t)call.value;
    return OTAU_AGENT_OK;
}

uint8_t *agent_runtime_memory(struct otau_agent *agent, uint32_t *size)
{
    wasm_rt_memory_t *memory = agent->runtime->env.memory;
    if (size) *size = memory->size;
    return memory->data;
}
