/*
 * The boot decision: which slot to start and which boot-record update to write before
 * starting it, as a pure function of flash contents. The agent implements the same table
 * (assembly/storage/boot_decision.ts); docs/boot-record.md is the reference for both.
 */
#ifndef BOOT_DECISION_H
#define BOOT_DECISION_H

#include <stdbool.h>

#include "boot_flash.h"
#include "boot_record.h"

/* The row of the decision table that picked the slot (same numbers as the agent's BootRule). */
enum boot_rule {
    BOOT_RULE_NO_RECORD = 1,
    BOOT_RULE_TRIAL_BOOT = 2,
    BOOT_RULE_ACTIVE = 3,
    BOOT_RULE_OTHER_CONFIRMED = 4,
    BOOT_RULE_NOTHING_BOOTABLE = 5,
};

struct boot_decision {
    int slot;                   /* BOOT_AREA_SLOT_A, BOOT_AREA_SLOT_B or BOOT_NO_SLOT */
    enum boot_rule rule;
    bool trial_failed;          /* a trial image was given up on (now marked Failed) */
    bool writes_record;         /* `record` must be stored before booting */
    int checked;                /* the slot's image check passed on these grounds (check_image) */
    int refused_slot;           /* the first slot check_image refused, or BOOT_NO_SLOT */
    int refusal;                /* and why (check_image's code) */
    int slot_refusal[BOOT_AREA_COUNT]; /* each slot's refusal (0: none), recorded with its Failed state */
    struct boot_record record;  /* the record as it must be after this boot */
};

/* Reads area 0 and the slots, fills `decision`, writes nothing. BOOT_OK or an error. */
int boot_decide(const struct boot_flash *flash, struct boot_decision *decision);
/* Stores the record update, if the decision has one. */
int boot_decision_apply(const struct boot_flash *flash, struct boot_decision *decision);

const char *boot_rule_name(enum boot_rule rule);
/* "A", "B", or "none" for a decision that found nothing bootable. */
const char *boot_slot_name(int slot);

#endif
