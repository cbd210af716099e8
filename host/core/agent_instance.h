/* The agent's state under wasm3, shared by the runtime (agent_runtime.c) and its import glue
 * (agent_imports_wasm3.c). */
#ifndef OTAU_AGENT_INSTANCE_H
#define OTAU_AGENT_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "agent_exports.h"
#include "agent_imports.h"
#include "otau_agent.h"
#include "wasm3.h"

#define AGENT_ERROR_TEXT_MAX 512

struct otau_agent {
    const struct otau_hal *hal;
    const uint8_t *wasm;
    uint32_t wasm_len;
    struct otau_agent_config config;

    IM3Environment environment;
    IM3Runtime runtime; /* NULL while no instance runs */
    IM3Function exports[AGENT_EXPORT_COUNT];

    /* Refreshed after every call: memory may move if the module grows it. */
    uint8_t *memory;
    uint32_t memory_size;
    uint32_t io_offset;
    uint32_t io_size;

    struct agent_fatal fatal;

    char error[AGENT_ERROR_TEXT_MAX];
};

/* Records why the last call failed (printf-style); returns `status` for tail calls. */
int agent_fail(struct otau_agent *agent, int status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Links every import of docs/abi.md that the module declares. Returns OTAU_AGENT_OK, or
 * OTAU_AGENT_LOAD_FAILED with agent->error set. */
int agent_link_imports(struct otau_agent *agent, IM3Module module);

#endif /* OTAU_AGENT_INSTANCE_H */
