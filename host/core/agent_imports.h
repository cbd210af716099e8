/*
 * The imports of docs/abi.md (module "env"), independent of the runtime that runs the agent.
 * Each runtime's glue (agent_imports_wasm3.c, agent_imports_aot.c) takes the call's i32
 * arguments, passes them here with a view of the agent's memory, and turns a trap outcome into
 * its own trap. Guest pointers are offsets into that memory; each is checked against the memory
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

/* Imports without a result ignore `result`; the others store the agent's return value in it. */
enum agent_import_outcome agent_import_log(const struct agent_guest *guest, uint32_t level,
                                           uint32_t text, uint32_t len);
enum agent_import_outcome agent_import_fatal(const struct agent_guest *guest, uint32_t text,
                                             uint32_t len, uint32_t line, uint32_t column);
enum agent_import_outcome agent_import_flash_info(const struct agent_guest *guest, uint32_t area,
                                                  uint32_t out, int32_t *result);
enum agent_import_outcome agent_import_flash_read(const struct agent_guest *guest, uint32_t area,
                                                  uint32_t offset, uint32_t dst, uint32_t len,
                                                  int32_t *result);
enum agent_import_outcome agent_import_flash_write(const struct agent_guest *guest, uint32_t area,
                                                   uint32_t offset, uint32_t src, uint32_t len,
                                                   int32_t *result);
enum agent_import_outcome agent_import_flash_erase(const struct agent_guest *guest, uint32_t area,
                                                   uint32_t offset, uint32_t len, int32_t *result);
enum agent_import_outcome agent_import_report(const struct agent_guest *guest, uint32_t channel,
                                              uint32_t document, uint32_t len);
enum agent_import_outcome agent_import_fetch(const struct agent_guest *guest, uint32_t url,
                                             uint32_t len, uint32_t offset, int32_t *result);
enum agent_import_outcome agent_import_fetch_cancel(const struct agent_guest *guest);
enum agent_import_outcome agent_import_apply_json(const struct agent_guest *guest, uint32_t json,
                                                  uint32_t len, int32_t *result);
enum agent_import_outcome agent_import_reset(const struct agent_guest *guest);
enum agent_import_outcome agent_import_sha256_native(const struct agent_guest *guest, uint32_t op,
                                                     uint32_t context, uint32_t data, uint32_t len,
                                                     int32_t *result);

#endif /* AGENT_IMPORTS_H */
