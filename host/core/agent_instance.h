/* The agent's state, shared by the runtime (agent_runtime.c) and the imports (agent_imports.c). */
#ifndef OTAU_AGENT_INSTANCE_H
#define OTAU_AGENT_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "otau_agent.h"
#include "wasm3.h"

/* Exports the core calls by name. Adding one is a row here, a row in agent_runtime.c's
 * export_specs and a one-line wrapper. */
enum agent_export {
    AGENT_EXPORT_START,
    AGENT_EXPORT_IO_BUFFER,
    AGENT_EXPORT_IO_BUFFER_SIZE,
    AGENT_EXPORT_BOOT,
    AGENT_EXPORT_SHA256_INIT,
    AGENT_EXPORT_SHA256_UPDATE,
    AGENT_EXPORT_SHA256_FINAL,
    AGENT_EXPORT_FIRMWARE_VERSION,
    AGENT_EXPORT_CONFIGURE,
    AGENT_EXPORT_ON_CONFIG,
    AGENT_EXPORT_ON_RESPONSE,
    AGENT_EXPORT_ON_DATA,
    AGENT_EXPORT_ON_DATA_END,
    AGENT_EXPORT_ON_TICK,
    AGENT_EXPORT_ON_HEALTHY,
    AGENT_EXPORT_AGENT_STATE,
    AGENT_EXPORT_ED25519_VERIFY,
    AGENT_EXPORT_COUNT
};

/* The agent's message passed to `fatal` is kept for the log: hosts must not crash on a long one. */
#define AGENT_FATAL_TEXT_MAX 256
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

    bool fatal_called;
    uint32_t fatal_line;
    uint32_t fatal_column;
    char fatal_text[AGENT_FATAL_TEXT_MAX];

    char error[AGENT_ERROR_TEXT_MAX];
};

/* Records why the last call failed (printf-style); returns `status` for tail calls. */
int agent_fail(struct otau_agent *agent, int status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Links every import of docs/abi.md that the module declares. Returns OTAU_AGENT_OK, or
 * OTAU_AGENT_LOAD_FAILED with agent->error set. */
int agent_link_imports(struct otau_agent *agent, IM3Module module);

#endif /* OTAU_AGENT_INSTANCE_H */
