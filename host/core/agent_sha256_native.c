/* The agent's hashes done by the bootloader's C SHA-256. The state lives in the agent's own
 * context bytes, so any number of hashes may be open and a re-instantiated agent leaves
 * nothing behind in the host. */
#include <stdbool.h>
#include <string.h>

#include "agent_sha256.h"
#include "boot_sha256.h"

_Static_assert(sizeof(struct boot_sha256) <= AGENT_SHA256_CONTEXT_BYTES,
               "the C SHA-256 state must fit the agent's context");

/* The context is agent memory: a state that could not come from Init is refused, since a
 * wrong `filled` would index past the block. */
static bool load_state(struct boot_sha256 *state, const uint8_t *context)
{
    memcpy(state, context, sizeof *state);
    return state->filled < sizeof state->block;
}

int32_t agent_sha256(uint32_t op, uint8_t *context, const uint8_t *data, uint32_t len,
                     uint8_t *digest)
{
    struct boot_sha256 state; /* copied: agent memory need not be aligned for it */
    switch (op) {
    case OTAU_SHA256_PROBE:
        return OTAU_SHA256_OK;
    case OTAU_SHA256_INIT:
        boot_sha256_init(&state);
        break;
    case OTAU_SHA256_UPDATE:
        if (!load_state(&state, context)) return OTAU_SHA256_BAD_OPERATION;
        boot_sha256_update(&state, data, len);
        break;
    case OTAU_SHA256_FINAL:
        if (!load_state(&state, context)) return OTAU_SHA256_BAD_OPERATION;
        boot_sha256_final(&state, digest);
        break;
    default:
        return OTAU_SHA256_BAD_OPERATION;
    }
    memcpy(context, &state, sizeof state);
    return OTAU_SHA256_OK;
}
