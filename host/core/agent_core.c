/*
 * The agent's life cycle, whichever runtime runs it (agent_runtime.h): instantiate, call exports,
 * catch traps, restart. A trap never escapes: the instance is dropped, the reason is logged and
 * kept, and the host may call otau_agent_start() to get a fresh instance.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_runtime.h"

int agent_fail(struct otau_agent *agent, int status, const char *format, ...)
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
    agent_runtime_drop(agent);
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
    agent->runtime = agent_runtime_new(agent);
    if (!agent->runtime) {
        free(agent);
        return NULL;
    }
    return agent;
}

void otau_agent_free(otau_agent *agent)
{
    if (!agent) return;
    drop_instance(agent);
    agent_runtime_free(agent->runtime);
    free(agent);
}

const char *otau_agent_error(const otau_agent *agent)
{
    return agent->error;
}

/* Words the trap (the agent's own message when it called `fatal`) and drops the instance, so
 * that nothing can call it again. */
static int handle_trap(struct otau_agent *agent, const char *export_name,
                       const struct agent_trap *trap)
{
    if (agent->fatal.called)
        agent_fail(agent, OTAU_AGENT_TRAPPED, "agent fatal in %s: %s (line %u, column %u)",
                   export_name, agent->fatal.text, (unsigned)agent->fatal.line,
                   (unsigned)agent->fatal.column);
    else if (trap->detail && trap->detail[0])
        agent_fail(agent, OTAU_AGENT_TRAPPED, "agent trapped in %s: %s (%s)", export_name,
                   trap->reason, trap->detail);
    else
        agent_fail(agent, OTAU_AGENT_TRAPPED, "agent trapped in %s: %s", export_name,
                   trap->reason);
    drop_instance(agent);
    log_error(agent);
    return OTAU_AGENT_TRAPPED;
}

static int call_function(struct otau_agent *agent, const void *function, const char *export_name,
                         uint32_t argc, const uint32_t *args, int32_t *result)
{
    if (!agent->running)
        return agent_fail(agent, OTAU_AGENT_NOT_RUNNING, "cannot call %s: the agent is not running",
                          export_name);
    if (!function)
        return agent_fail(agent, OTAU_AGENT_NO_SUCH_EXPORT, "the agent has no export %s",
                          export_name);
    int32_t value = 0;
    struct agent_trap trap = {NULL, NULL};
    int status = agent_runtime_call(agent, function, argc, args, &value, &trap);
    if (status == OTAU_AGENT_TRAPPED) return handle_trap(agent, export_name, &trap);
    if (status != OTAU_AGENT_OK) return status;
    if (result) *result = value;
    return OTAU_AGENT_OK;
}

/* A known export takes agent_export_specs' argument count: find_exports checked its signature once,
 * when the instance was loaded, so the calls on the event path do not check it again. */
int agent_call_export(struct otau_agent *agent, enum agent_export which, const uint32_t *args,
                      int32_t *result)
{
    const struct agent_export_spec *spec = &agent_export_specs[which];
    return call_function(agent, agent->exports[which], spec->name, spec->argc, args, result);
}

/* Looks up every known export; a missing one stays NULL (calls to it report NO_SUCH_EXPORT),
 * a present one must take only i32 arguments and return at most one i32. */
static int find_exports(struct otau_agent *agent)
{
    for (int which = 0; which < AGENT_EXPORT_COUNT; which++) {
        const struct agent_export_spec *spec = &agent_export_specs[which];
        bool fits = false;
        const void *function = agent_runtime_export(agent, spec->name, spec->argc, &fits);
        if (!function) continue;
        if (!fits)
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
    uint32_t memory_size = 0;
    agent_runtime_memory(agent, &memory_size);
    if ((uint64_t)(uint32_t)offset + (uint32_t)size > memory_size)
        return agent_fail(agent, OTAU_AGENT_LOAD_FAILED,
                          "the agent's I/O buffer (%u bytes at %u) lies beyond its %u bytes of "
                          "memory: raise the memory limit",
                          (unsigned)size, (unsigned)offset, (unsigned)memory_size);
    agent->io_offset = (uint32_t)offset;
    agent->io_size = (uint32_t)size;
    return OTAU_AGENT_OK;
}

static int instantiate(struct otau_agent *agent)
{
    int status = agent_runtime_instantiate(agent);
    if (status != OTAU_AGENT_OK) return status;
    agent->running = true;
    status = find_exports(agent);
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

/* The memory is asked for each time: it may move when the module grows it. */
uint8_t *otau_agent_io_buffer(otau_agent *agent, uint32_t *size)
{
    if (!agent->running || !agent->io_size) {
        if (size) *size = 0;
        return NULL;
    }
    if (size) *size = agent->io_size;
    return agent_runtime_memory(agent, NULL) + agent->io_offset;
}

int otau_agent_call(otau_agent *agent, const char *export_name, uint32_t argc,
                    const uint32_t *args, int32_t *result)
{
    bool fits = false;
    const void *function =
        agent->running ? agent_runtime_export(agent, export_name, argc, &fits) : NULL;
    if (function && !fits)
        return agent_fail(agent, OTAU_AGENT_NO_SUCH_EXPORT,
                          "export %s does not take %u i32 arguments and return at most one i32",
                          export_name, (unsigned)argc);
    return call_function(agent, function, export_name, argc, args, result);
}
