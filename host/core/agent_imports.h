/*
 * The imports of docs/abi.md (module "env"), independent of the runtime that runs the agent.
 * Each runtime's glue (agent_imports_wasm3.c, agent_imports_aot.c) takes the call's i32
 * arguments, passes them to the import's row of agent_import_specs with a view of the agent's
 * memory, and turns a trap outcome into its own trap. Adding an import is an enum row, a row and
 * its logic in agent_imports.c, and wasm2c's entry point in agent_imports_aot.c (declared in
 * agent_aot.h); wasm3 links every row by itself. Guest pointers are offsets into that memory; each is checked against the memory
 * the host really allocated (the memory limit, not the page size the module sees) before it is
 * touched, and offset 0 counts as a null pointer (as wasm3's m3ApiCheckMem has it).
 */
#ifndef AGENT_IMPORTS_H
#define AGENT_IMPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "otau_hal.h"

/* The agent's message passed to `fatal` is kept for the log: hosts must not crash on a long one. */
#define AGENT_FATAL_TEXT_MAX 256

/* What `fatal` leaves for the runtime's trap message. */
struct agent_fatal {
    bool called;
    uint32_t line;
    uint32_t column;
    char text[AGENT_FATAL_TEXT_MAX];
};

/* One import call's view of the agent. */
struct agent_guest {
    const struct otau_hal *hal;
    uint8_t *memory;
    uint32_t memory_size;
    struct agent_fatal *fatal;
};

/* How an import call ended: returned to the agent, or a trap the runtime must raise. */
enum agent_import_outcome {
    AGENT_IMPORT_RETURNED = 0,
    AGENT_IMPORT_OUT_OF_BOUNDS, /* a pointer (plus length) outside the allocated memory */
    AGENT_IMPORT_ABORTED        /* the agent called `fatal` */
};

/* The imports of docs/abi.md, in the order of agent_import_specs. */
enum agent_import {
    AGENT_IMPORT_LOG,
    AGENT_IMPORT_FATAL,
    AGENT_IMPORT_FLASH_INFO,
    AGENT_IMPORT_FLASH_READ,
    AGENT_IMPORT_FLASH_WRITE,
    AGENT_IMPORT_FLASH_ERASE,
    AGENT_IMPORT_REPORT,
    AGENT_IMPORT_FETCH,
    AGENT_IMPORT_FETCH_CANCEL,
    AGENT_IMPORT_APPLY_JSON,
    AGENT_IMPORT_RESET,
    AGENT_IMPORT_SHA256_NATIVE,
    AGENT_IMPORT_ED25519_NATIVE,
    AGENT_IMPORT_COUNT
};

/* Every import takes only i32 arguments and returns nothing or one i32. */
#define AGENT_MAX_IMPORT_ARGS 4

/* One import: its name in module "env", its signature and its logic. `serve` takes the call's
 * `argc` arguments in order; an import without a result leaves `result` alone. */
struct agent_import_spec {
    const char *name;
    uint8_t argc;
    bool returns; /* an i32 result */
    enum agent_import_outcome (*serve)(const struct agent_guest *guest, const uint32_t *args,
                                       int32_t *result);
};

extern const struct agent_import_spec agent_import_specs[AGENT_IMPORT_COUNT];

#endif /* AGENT_IMPORTS_H */
