/* What the wasm3 runtime (agent_runtime_wasm3.c) takes from its import glue
 * (agent_imports_wasm3.c). */
#ifndef AGENT_WASM3_H
#define AGENT_WASM3_H

#include "agent_runtime.h"
#include "wasm3.h"

/* Links every import of docs/abi.md that the module declares. Returns OTAU_AGENT_OK, or
 * OTAU_AGENT_LOAD_FAILED with agent->error set. */
int agent_link_imports(struct otau_agent *agent, IM3Module module);

#endif /* AGENT_WASM3_H */
