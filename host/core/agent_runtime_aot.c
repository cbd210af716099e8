/*
 * The agent's life cycle when it is translated ahead of time (agent_aot.h): the same API and
 * behaviour as the wasm3 core (agent_runtime.c), the module compiled into the firmware instead
 * of loaded. The `wasm` bytes passed to otau_agent_new() may be NULL; bytes given must be the
 * module this build translated (a start refuses others), so that a host told to run an agent
 * cannot silently run a different one. The stack size is not used: the agent runs on the caller's stack, its call depth bounded by
 * WASM_RT_MAX_CALL_STACK_DEPTH. Linear memory is one buffer of the memory limit, allocated with
 * the agent and reused by every start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_aot.h"
#include "agent_exports.h"
#include "boot_sha256.h"
#include "otau_agent.h"
#include "wasm_rt_mcu.h"

#define AGENT_ERROR_TEXT_MAX 512

struct otau_agent {
    const struct otau_hal *hal;
    const uint8_t *wasm;
    uint32_t wasm_len;
    struct otau_agent_config config;
    void *instance;  /* agent_aot_instance_size bytes: the module's globals, memory and table */
    uint8_t *memory; /* config.memory_limit bytes */
    bool running;
    const struct agent_aot_export *exports[AGENT_EXPORT_COUNT];
    struct Z_env_instance_t env;
    struct agent_fatal fatal;
    uint32_t io_offset;
    uint32_t io_size;
    char error[AGENT_ERROR_TEXT_MAX];
};

static int agent_fail(struct otau_agent *agent, int status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int agent_fail(struct otau_agent *agent, int status, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(agent->error, sizeof agent->error, format, args);
    va_end(args);
    return status;
}

static void log_error(struct otau_agent *agent)
{
    const struct otau_hal *hal = agent->hal;
    if (hal->log) hal->log(hal->context, OTAU_LOG_ERROR, agent->error, strlen(agent->error));
}

static void drop_instance(struct otau_agent *agent)
{
    if (agent->running) agent_aot_free(agent->instance);
    agent->running = false;
    memset(agent->exports, 0, sizeof agent->exports);
    agent->io_offset = 0;
    agent->io_size = 0;
}

otau_agent *otau_agent_new(const struct otau_hal *hal, const uint8_t *wasm, uint32_t wasm_len,
                           const struct otau_agent_config *config)
{
    struct otau_agent *agent = calloc(1, sizeof *agent);
    if (!agent) return NULL;
    agent->hal = hal;
    agent->wasm = wasm;
    agent->wasm_len = wasm_len;
    if (config) agent->config = *config;
    if (!agent->config.memory_limit) agent->config.memory_limit = OTAU_AGENT_DEFAULT_MEMORY_LIMIT;
    if (!agent->config.stack_size) agent->config.stack_size = OTAU_AGENT_DEFAULT_STACK_SIZE;
    agent->instance = calloc(1, agent_aot_instance_size);
    agent->memory = malloc(agent->config.memory_limit);
    if (!agent->instance || !agent->memory) {
        free(agent->instance);
        free(agent->memory);
        free(agent);
        return NULL;
    }
    return agent;
}

void otau_agent_free(otau_agent *agent)
{
    if (!agent) return;
    drop_instance(agent);
    free(agent->memory);
    free(agent->instance);
    free(agent);
}

const char *otau_agent_error(const otau_agent *agent)
{
    return agent->error;
}

static const struct agent_aot_export *find_export(const char *name)
{
    for (size_t i = 0; i < agent_aot_export_count; i++)
        if (strcmp(agent_aot_exports[i].name, name) == 0) return &agent_aot_exports[i];
    return NULL;
}

/* One export call, as wasm_rt_mcu_run() runs it. */
struct export_call {
    struct otau_agent *agent;
    const struct agent_aot_export *function;
    const uint32_t *args;
    uint32_t value;
};

static void run_export(void *argument)
{
    struct export_call *call = argument;
    call->value = call->function->call(call->agent->instance, call->args);
}

/* A trap never escapes: the instance is dropped, the reason logged and kept (wasm3's words). */
static int handle_trap(struct otau_agent *agent, const char *export_name, wasm_rt_trap_t trap)
{
    if (agent->fatal.called)
        agent_fail(agent, OTAU_AGENT_TRAPPED, "agent fatal in %s: %s (line %u, column %u)",
                   export_name, agent->fatal.text, (unsigned)agent->fatal.line,
                   (unsigned)agent->fatal.column);
    else
        agent_fail(agent, OTAU_AGENT_TRAPPED, "agent trapped in %s: %s", export_name,
                   wasm_rt_mcu_trap_text(trap));
    drop_instance(agent);
    log_error(agent);
    return OTAU_AGENT_TRAPPED;
}

static int call_function(struct otau_agent *agent, const struct agent_aot_export *function,
                         const char *export_name, const uint32_t *args, int32_t *result)
{
    if (!agent->running)
        return agent_fail(agent, OTAU_AGENT_NOT_RUNNING, "cannot call %s: the agent is not running",
                          export_name);
    if (!function)
        return agent_fail(agent, OTAU_AGENT_NO_SUCH_EXPORT, "the agent has no export %s",
                          export_name);
    struct export_call call = {agent, function, args, 0};
    wasm_rt_trap_t trap = wasm_rt_mcu_run(run_export, &call);
    if (trap != WASM_RT_TRAP_NONE) return handle_trap(agent, export_name, trap);
    if (result) *result = (int32_t)call.value;
    return OTAU_AGENT_OK;
}

int agent_call_export(struct otau_agent *agent, enum agent_export which, const uint32_t *args,
                      int32_t *result)
{
    return call_function(agent, agent->exports[which], agent_export_specs[which].name, args,
                         result);
}

/* Looks up every known export; a missing one stays NULL (calls to it report NO_SUCH_EXPORT),
 * a present one must take the ABI's arguments (the generated table holds only i32 ones). */
static int find_exports(struct otau_agent *agent)
{
    for (int which = 0; which < AGENT_EXPORT_COUNT; which++) {
        const struct agent_export_spec *spec = &agent_export_specs[which];
        const struct agent_aot_export *function = find_export(spec->name);
        if (!function) continue;
        if (function->argc != spec->argc)
            return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                              "export %s does not have the signature of docs/abi.md (%u i32 "
                              "arguments, at most one i32 result)",
                              spec->name, (unsigned)spec->argc);
        agent->exports[which] = function;
    }
    return OTAU_AGENT_OK;
}

/* The I/O buffer must lie inside the memory the host really allocated (the memory limit). */
static int locate_io_buffer(struct otau_agent *agent)
{
    if (!agent->exports[AGENT_EXPORT_IO_BUFFER] || !agent->exports[AGENT_EXPORT_IO_BUFFER_SIZE])
        return OTAU_AGENT_OK;
    int32_t offset = 0;
    int32_t size = 0;
    int status = agent_call_export(agent, AGENT_EXPORT_IO_BUFFER, NULL, &offset);
    if (status == OTAU_AGENT_OK) status = agent_call_export(agent, AGENT_EXPORT_IO_BUFFER_SIZE, NULL, &size);
    if (status != OTAU_AGENT_OK) return status;
    uint32_t memory_size = agent->env.memory->size;
    if ((uint64_t)(uint32_t)offset + (uint32_t)size > memory_size)
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                          "the agent's I/O buffer (%u bytes at %u) lies beyond its %u bytes of "
                          "memory: raise the memory limit",
                          (unsigned)size, (unsigned)offset, (unsigned)memory_size);
    agent->io_offset = (uint32_t)offset;
    agent->io_size = (uint32_t)size;
    return OTAU_AGENT_OK;
}

/* Sets up the module's globals, memory (data segments copied in) and table. */
static void instantiate_module(void *argument)
{
    struct otau_agent *agent = argument;
    if (!wasm_rt_is_initialized()) {
        wasm_rt_init();
        agent_aot_init_module();
    }
    memset(agent->instance, 0, agent_aot_instance_size);
    wasm_rt_mcu_provide_memory(agent->memory, agent->config.memory_limit);
    agent_aot_instantiate(agent->instance, &agent->env);
    agent->running = true;
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

static int instantiate(struct otau_agent *agent)
{
    if (agent->wasm && agent->wasm_len && !is_translated_module(agent->wasm, agent->wasm_len))
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                          "the agent module given (%u bytes) is not the one this build "
                          "translated ahead of time (%u bytes)",
                          (unsigned)agent->wasm_len, (unsigned)agent_aot_wasm_size);
    agent->env = (struct Z_env_instance_t){agent->hal, NULL, &agent->fatal};
    wasm_rt_trap_t trap = wasm_rt_mcu_run(instantiate_module, agent);
    if (trap != WASM_RT_TRAP_NONE) {
        agent_aot_free(agent->instance); /* what was set up before the trap */
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                          "cannot load the agent module with a %u-byte memory limit: %s",
                          (unsigned)agent->config.memory_limit, wasm_rt_mcu_trap_text(trap));
    }
    agent->env.memory = agent_aot_memory(agent->instance);
    int status = find_exports(agent);
    if (status != OTAU_AGENT_OK) return status;
    if (agent->exports[AGENT_EXPORT_START]) {
        status = agent_call_export(agent, AGENT_EXPORT_START, NULL, NULL);
        if (status != OTAU_AGENT_OK) return status;
    }
    return locate_io_buffer(agent);
}

int otau_agent_start(otau_agent *agent)
{
    drop_instance(agent);
    agent->fatal.called = false;
    agent->fatal.text[0] = '\0';
    agent->error[0] = '\0';
    int status = instantiate(agent);
    if (status != OTAU_AGENT_OK) drop_instance(agent);
    return status;
}

uint8_t *otau_agent_io_buffer(otau_agent *agent, uint32_t *size)
{
    if (!agent->running || !agent->io_size) {
        if (size) *size = 0;
        return NULL;
    }
    if (size) *size = agent->io_size;
    return agent->env.memory->data + agent->io_offset;
}

int otau_agent_call(otau_agent *agent, const char *export_name, uint32_t argc,
                    const uint32_t *args, int32_t *result)
{
    const struct agent_aot_export *function = agent->running ? find_export(export_name) : NULL;
    if (function && function->argc != argc)
        return agent_fail(agent, OTAU_AGENT_NO_SUCH_EXPORT,
                          "export %s does not take %u i32 arguments and return at most one i32",
                          export_name, (unsigned)argc);
    return call_function(agent, function, export_name, args, result);
}
