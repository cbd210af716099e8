/*
 * The host core: runs build/agent.wasm under wasm3 (agent_runtime_wasm3.c), or the same module
 * translated ahead of time by wasm2c (agent_runtime_aot.c, chosen at build time), behind one life
 * cycle (agent_core.c), and turns the agent's imports into HAL calls.
 * A port creates one agent over its HAL, starts it, then delivers events by calling the export
 * wrappers below. Every wrapper returns an enum otau_agent_status (did the call happen?) and
 * stores the agent's own return code in `*result` (what did the agent answer? docs/abi.md).
 *
 * Not re-entrant: HAL functions must not call back into the agent.
 */
#ifndef OTAU_AGENT_H
#define OTAU_AGENT_H

#include <stdint.h>

#include "otau_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OTAU_AGENT_DEFAULT_MEMORY_LIMIT (48u * 1024u)
#define OTAU_AGENT_DEFAULT_STACK_SIZE (8u * 1024u)
/* The smallest value stack the agent is started with. Measured: an update of an image signed
 * with Ed25519 needs 2,848 bytes (the signature check at the end of the download goes
 * deepest), the fuzz corpus (unsigned update paths, the deepest documents) 1,576; below that
 * the agent traps with a stack overflow, again after every restart. tests/host's fuzz_corpus
 * and tests/node/linux-host-signed run at exactly this size, so that it stays enough.
 * (wasm3 v0.5.0 also misses value-stack overflows at tiny stack sizes: docs/toolchain.md
 * "wasm3 v0.5.0".) */
#define OTAU_AGENT_MIN_STACK_SIZE 3072u

struct otau_agent_config {
    /* Bytes of linear memory the runtime allocates for the agent; an access past it traps.
     * 0 means OTAU_AGENT_DEFAULT_MEMORY_LIMIT. */
    uint32_t memory_limit;
    /* Bytes of wasm3 value stack. 0 means OTAU_AGENT_DEFAULT_STACK_SIZE. The translated agent
     * runs on the caller's stack instead, its call depth bounded at build time. */
    uint32_t stack_size;
};

enum otau_agent_status {
    OTAU_AGENT_OK = 0,
    OTAU_AGENT_OUT_OF_MEMORY = -1,   /* the host could not allocate the runtime */
    OTAU_AGENT_LOAD_FAILED = -2,     /* the module could not be parsed, loaded, linked or compiled */
    OTAU_AGENT_TRAPPED = -3,         /* the agent trapped or called `fatal`; start it again */
    OTAU_AGENT_NOT_RUNNING = -4,     /* there is no instance (never started, or it trapped) */
    OTAU_AGENT_NO_SUCH_EXPORT = -5,  /* the module lacks the export, or its signature differs */
    OTAU_AGENT_BAD_ARGUMENT = -6     /* the host passed something out of range (see the error text) */
};

typedef struct otau_agent otau_agent;

/*
 * Creates an agent over `hal` (which must outlive it) for the module in `wasm`. wasm3 reads the
 * module in place, so `wasm` must stay valid and unchanged until otau_agent_free() (on a board it
 * sits in flash). The translated agent needs no module bytes (NULL, 0); bytes given must be the
 * module translated, or the start refuses them. `config` may be NULL for the defaults. Returns
 * NULL only when out of memory (the translated agent allocates its linear memory here).
 * Nothing runs until otau_agent_start().
 */
otau_agent *otau_agent_new(const struct otau_hal *hal, const uint8_t *wasm, uint32_t wasm_len,
                           const struct otau_agent_config *config);
void otau_agent_free(otau_agent *agent);

/*
 * (Re)instantiates the agent: drops any previous instance, loads and links the module, compiles
 * every function up front, runs `_start` and locates the I/O buffer. This is also how a host
 * recovers after OTAU_AGENT_TRAPPED: the new instance starts from the module's initial state.
 */
int otau_agent_start(otau_agent *agent);

/* Why the last failing call failed, as one line ("" when nothing failed yet). */
const char *otau_agent_error(const otau_agent *agent);

/* The agent's I/O buffer inside its memory, or NULL when no instance is running. The pointer is
 * valid until the next call into the agent. */
uint8_t *otau_agent_io_buffer(otau_agent *agent, uint32_t *size);

/* The exports of docs/abi.md. */
int otau_agent_boot(otau_agent *agent, int32_t *result);
int otau_agent_sha256_init(otau_agent *agent, int32_t *result);
int otau_agent_sha256_update(otau_agent *agent, uint32_t len, int32_t *result);
int otau_agent_sha256_final(otau_agent *agent, int32_t *result);
/* The I/O buffer holds signature (64 bytes), public key (32) and `len` message bytes; *result is
 * 1 when the signature verifies, 0 when not, -1 when `len` does not fit. */
int otau_agent_ed25519_verify(otau_agent *agent, uint32_t len, int32_t *result);
int otau_agent_firmware_version(otau_agent *agent, uint32_t len, int32_t *result);
int otau_agent_configure(otau_agent *agent, uint32_t setting, uint32_t value, int32_t *result);
int otau_agent_on_config(otau_agent *agent, uint32_t source, uint32_t len, int32_t *result);
int otau_agent_on_response(otau_agent *agent, uint32_t http_status, uint32_t range_start,
                           uint32_t total_length, int32_t *result);
int otau_agent_on_data(otau_agent *agent, uint32_t len, int32_t *result);
int otau_agent_on_data_end(otau_agent *agent, uint32_t ok, int32_t *result);
int otau_agent_on_tick(otau_agent *agent, uint32_t now_ms, int32_t *result);
int otau_agent_on_healthy(otau_agent *agent, int32_t *result);
/* The state machine's state (docs/abi.md agent_state: 5 is Trial). */
int otau_agent_state(otau_agent *agent, int32_t *result);

/* Calls any export taking `argc` i32 arguments and returning nothing or one i32 (0 stored when
 * it returns nothing). For tools and tests; the host's event paths use the wrappers above. */
int otau_agent_call(otau_agent *agent, const char *export_name, uint32_t argc,
                    const uint32_t *args, int32_t *result);

#ifdef __cplusplus
}
#endif

#endif /* OTAU_AGENT_H */
