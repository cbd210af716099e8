/*
 * The agent as the host core keeps it, and the small interface a runtime implements for it.
 * agent_core.c holds everything that does not depend on how the module runs: the public API of
 * otau_agent.h, export lookup and calls, trap messages, the I/O buffer. Each runtime file
 * implements only what differs: agent_runtime_wasm3.c (wasm3 interprets the module loaded at run
 * time) or agent_runtime_aot.c (the module translated to C by wasm2c and compiled in). A build
 * links exactly one of them.
 */
#ifndef AGENT_RUNTIME_H
#define AGENT_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "agent_exports.h"
#include "agent_imports.h"
#include "otau_agent.h"

#define AGENT_ERROR_TEXT_MAX 512

struct agent_runtime; /* the runtime's own state, defined by its file */

struct otau_agent {
    const struct otau_hal *hal;
    const uint8_t *wasm;
    uint32_t wasm_len;
    struct otau_agent_config config;
    struct agent_runtime *runtime;
    bool running; /* an instance is set up and may be called */
    /* The runtime's handle of each known export, NULL when the module lacks it. */
    const void *exports[AGENT_EXPORT_COUNT];
    uint32_t io_offset;
    uint32_t io_size;
    struct agent_fatal fatal;
    char error[AGENT_ERROR_TEXT_MAX];
};

/* Records why the last call failed (printf-style); returns `status` for tail calls. */
int agent_fail(struct otau_agent *agent, int status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* What ended a call that trapped, in wasm3's words: the trap, and the runtime's detail if any. */
struct agent_trap {
    const char *reason;
    const char *detail; /* NULL or "" when there is none */
};

/* --- Implemented by each runtime --- */

/* The runtime's state for `agent` (its config already has the defaults), or NULL when out of
 * memory. Nothing is instantiated yet. */
struct agent_runtime *agent_runtime_new(const struct otau_agent *agent);
void agent_runtime_free(struct agent_runtime *runtime);

/* Sets up a fresh instance of the module, its imports bound: OTAU_AGENT_OK, or a failure status
 * with agent->error set. agent_runtime_drop() frees whatever a failed attempt left. */
int agent_runtime_instantiate(struct otau_agent *agent);

/* Frees the instance, if there is one. */
void agent_runtime_drop(struct otau_agent *agent);

/* The running instance's export `name`, or NULL when it has none; `*fits` tells whether it takes
 * `argc` i32 arguments and returns nothing or one i32 (the only signatures of docs/abi.md). */
const void *agent_runtime_export(struct otau_agent *agent, const char *name, uint32_t argc,
                                 bool *fits);

/* Calls an export of the running instance with `argc` i32 arguments. Returns OTAU_AGENT_OK with
 * the result stored (0 for an export without one), OTAU_AGENT_TRAPPED with `trap` filled in (the
 * core words the error and drops the instance), or another status with agent->error set. */
int agent_runtime_call(struct otau_agent *agent, const void *function, uint32_t argc,
                       const uint32_t *args, int32_t *result, struct agent_trap *trap);

/* The running instance's linear memory, as far as the host really allocated it. */
uint8_t *agent_runtime_memory(struct otau_agent *agent, uint32_t *size);

#endif /* AGENT_RUNTIME_H */
