/*
 * The boot record in area 0 (docs/boot-record.md): layout, reading the newest valid
 * copy, and writing the next one. Mirrors assembly/storage/boot_area.ts, boot_record.ts.
 */
#ifndef BOOT_RECORD_H
#define BOOT_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "boot_flash.h"

#define BOOT_NO_SLOT 0
#define BOOT_MAX_WRITE_ALIGN 32u
#define BOOT_RECORD_BYTES 228u
#define BOOT_RECORD_MARKER_BYTES 8u
#define BOOT_JOURNAL_ENTRY_BYTES 52u
#define BOOT_JOURNAL_MARKER_BYTES 8u
#define BOOT_VERSION_MAX_BYTES 64u
/* Payload and marker each padded to the largest write unit. */
#define BOOT_RECORD_COPY_MAX (256u + 32u)

enum boot_slot_state {
    BOOT_SLOT_EMPTY = 0,
    BOOT_SLOT_CONFIRMED = 1,
    BOOT_SLOT_TRIAL = 2,
    BOOT_SLOT_FAILED = 3,
};

/* Why a slot is Failed (slot entry byte 2; 0 in records written before it existed). */
enum boot_failure_cause {
    BOOT_FAILURE_NOT_CONFIRMED = 0, /* a trial never confirmed, or an image not matching its record */
    BOOT_FAILURE_REFUSED = 1,       /* the bootloader's image check refused it (byte 3: why) */
};

/* A record in its wire format, and which copy it was read from (-1: none valid). */
struct boot_record {
    uint8_t bytes[BOOT_RECORD_COPY_MAX];
    int copy;
    uint32_t sequence;
};

/* Checks one area's geometry as the agent's areaLoad does. */
int boot_area_check(const struct boot_flash *flash, int area);
/* Checks area 0: geometry, two copies and two journal pages. */
int boot_record_area_check(const struct boot_flash *flash);
uint32_t boot_record_copy_span(const struct boot_flash *flash);

/* BOOT_OK, BOOT_NO_RECORD (record holds the empty default: slot A active), or an error. */
int boot_record_load(const struct boot_flash *flash, struct boot_record *record);
/* Writes the record as the next sequence into the other copy: erase, payload, marker, read back. */
int boot_record_store(const struct boot_flash *flash, struct boot_record *record);

int boot_record_active(const struct boot_record *record);
int boot_record_trial(const struct boot_record *record);
int boot_record_attempts(const struct boot_record *record);
bool boot_record_trial_booted(const struct boot_record *record);
enum boot_slot_state boot_record_slot_state(const struct boot_record *record, int slot);
uint32_t boot_record_slot_size(const struct boot_record *record, int slot);
const uint8_t *boot_record_slot_digest(const struct boot_record *record, int slot);

void boot_record_set_active(struct boot_record *record, int slot);
void boot_record_set_trial(struct boot_record *record, int slot, int attempts, bool booted);
void boot_record_set_slot_state(struct boot_record *record, int slot, enum boot_slot_state state);
enum boot_failure_cause boot_record_slot_failure_cause(const struct boot_record *record, int slot);
/* The image check's refusal code (boot_image_check.h) of a slot Failed by BOOT_FAILURE_REFUSED. */
int boot_record_slot_image_problem(const struct boot_record *record, int slot);
/* Marks the slot Failed with its cause: `refusal` 0 (not confirmed / no match) or the image check's code. */
void boot_record_set_slot_failed(struct boot_record *record, int slot, int refusal);

#endif
