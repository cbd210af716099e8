/* The exports the host core (agent_core.c) calls by name, whichever runtime runs the agent.
 * Adding one is a row in the enum, a row in agent_exports.c and a one-line wrapper in
 * agent_export_calls.c. */
#ifndef AGENT_EXPORTS_H
#define AGENT_EXPORTS_H

#include <stdint.h>

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

/* The ABI's exports take only i32 arguments and return nothing or one i32. */
#define AGENT_MAX_EXPORT_ARGS 4

struct agent_export_spec {
    const char *name;
    uint8_t argc;
};

extern const struct agent_export_spec agent_export_specs[AGENT_EXPORT_COUNT];

struct otau_agent;
/* Calls a known export with its spec's argument count (agent_core.c). */
int agent_call_export(struct otau_agent *agent, enum agent_export which, const uint32_t *args,
                      int32_t *result);

#endif /* AGENT_EXPORTS_H */
