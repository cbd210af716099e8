#include "agent_session.h"

#include <string.h>

#include "board.h"
#include "cortexm_runtime.h"
#include "semihost.h"

extern const uint8_t agent_wasm_start[], agent_wasm_end[]; /* agent_wasm.S */

/* configure()'s FactoryImageSize and RunningVersionCheck settings (docs/abi.md). */
#define SETTING_FACTORY_IMAGE_SIZE 8u
#define SETTING_RUNNING_VERSION_CHECK 9u

enum call_outcome call_outcome(otau_agent *agent, int status, int32_t result, const char *what)
{
    if (status == OTAU_AGENT_OK && result >= 0) return CALL_DONE;
    if (status == OTAU_AGENT_TRAPPED) return CALL_TRAPPED; /* the core has logged the trap */
    if (status != OTAU_AGENT_OK)
        console_printf("board: %s failed: %s\n", what, otau_agent_error(agent));
    else
        console_printf("board: %s returned %ld\n", what, (long)result);
    return CALL_FAILED;
}

bool call_ok(otau_agent *agent, int status, int32_t result, const char *what)
{
    return call_outcome(agent, status, result, what) == CALL_DONE;
}

int32_t agent_state(otau_agent *agent)
{
    int32_t state = -1;
    otau_agent_state(agent, &state);
    return state;
}

otau_agent *agent_new(const struct otau_hal *hal)
{
    static const struct otau_agent_config config = {AGENT_MEMORY_LIMIT, AGENT_STACK_SIZE};
    otau_agent *agent = otau_agent_new(hal, agent_wasm_start,
                                       (uint32_t)(agent_wasm_end - agent_wasm_start), &config);
    if (!agent) console_printf("board: out of memory for the agent\n");
    return agent;
}

bool agent_start(otau_agent *agent)
{
    uint32_t heap_before = cortexm_heap_high_water();
    uint64_t start = board_ticks();
    if (otau_agent_start(agent) != OTAU_AGENT_OK) {
        console_printf("board: cannot start the agent: %s\n", otau_agent_error(agent));
        return false;
    }
    console_printf("measure agent_start_instructions %lu\n", board_instructions(board_ticks() - start));
    /* wasm3's runtime: linear memory, value stack, parsed module, compiled code pages. */
    console_printf("measure agent_runtime_heap %lu\n", (unsigned long)(cortexm_heap_high_water() - heap_before));
    return true;
}

enum call_outcome agent_boot(otau_agent *agent, const char *version, uint32_t factory_image_size,
                             bool version_is_running)
{
    uint32_t size = 0;
    uint8_t *io = otau_agent_io_buffer(agent, &size);
    uint32_t len = (uint32_t)strlen(version);
    memcpy(io, version, len);
    int32_t result = 0;
    enum call_outcome outcome =
        call_outcome(agent, otau_agent_firmware_version(agent, len, &result), result, "firmware_version");
    if (outcome == CALL_DONE)
        outcome = call_outcome(agent, otau_agent_configure(agent, SETTING_FACTORY_IMAGE_SIZE,
                                                           factory_image_size, &result),
                               result, "configure");
    if (outcome == CALL_DONE && version_is_running)
        outcome = call_outcome(agent, otau_agent_configure(agent, SETTING_RUNNING_VERSION_CHECK, 1, &result),
                               result, "configure");
    if (outcome == CALL_DONE) outcome = call_outcome(agent, otau_agent_boot(agent, &result), result, "boot");
    return outcome;
}

enum call_outcome confirm_trial(otau_agent *agent)
{
    int32_t result = 0;
    if (agent_state(agent) != AGENT_TRIAL) return CALL_DONE;
    return call_outcome(agent, otau_agent_on_healthy(agent, &result), result, "on_healthy");
}
