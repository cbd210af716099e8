/*
 * One agent instance (under wasm3, or translated ahead of time) as this board's firmware drives it: create, start (with its
 * start-up cost measured), the events of every start (firmware_version, FactoryImageSize,
 * boot), the trial confirmation, and what a call came to.
 */
#ifndef AGENT_SESSION_H
#define AGENT_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "otau_agent.h"

/* Bytes of agent linear memory (the Makefile may set it): its static data, 28,540 B today; it
 * allocates nothing, in _start or later: this leaves 644 B. A start with too little traps in
 * _start, which the bring-up shows. */
#ifndef AGENT_MEMORY_LIMIT
#define AGENT_MEMORY_LIMIT 29184u
#endif
#define AGENT_STACK_SIZE (4u * 1024u)

/* What one agent call came to. A trap ends the instance: the agent must be started again. */
enum call_outcome { CALL_DONE, CALL_TRAPPED, CALL_FAILED };

/* Prints why a call failed (a trap has been logged by the core already). */
enum call_outcome call_outcome(otau_agent *agent, int status, int32_t result, const char *what);
bool call_ok(otau_agent *agent, int status, int32_t result, const char *what);

int32_t agent_state(otau_agent *agent);
/* NULL (and a console line) when the heap cannot hold it. */
otau_agent *agent_new(const struct otau_hal *hal);
/* (Re)instantiates the agent; prints "measure agent_start_instructions" and the runtime's heap. */
bool agent_start(otau_agent *agent);
/* The events the application delivers at every start of the agent: its version,
 * FactoryImageSize (the bytes of the factory image in slot A), boot(). `version_is_running`:
 * the version is the running image's own (an application built per version), and the agent
 * checks it against the boot record (RunningVersionCheck); the bring-up firmware's "1.0.0"
 * only names the factory image. */
enum call_outcome agent_boot(otau_agent *agent, const char *version, uint32_t factory_image_size,
                             bool version_is_running);
/* on_healthy when the agent is on a trial boot; nothing otherwise. */
enum call_outcome confirm_trial(otau_agent *agent);

#endif
