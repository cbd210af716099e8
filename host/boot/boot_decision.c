#include "boot_decision.h"

#include <string.h>

#include "boot_sha256.h"
#include "boot_status.h"

static int other_slot(int slot) { return slot == BOOT_AREA_SLOT_A ? BOOT_AREA_SLOT_B : BOOT_AREA_SLOT_A; }

/* 1 when the slot holds the image the record describes (its first `size` bytes hash to the
 * record's digest); 0 when not, or when that image is empty or larger than the slot; or a
 * negative status. */
static int image_matches(const struct boot_flash *flash, const struct boot_record *record, int slot)
{
    static uint8_t chunk[256];
    struct boot_sha256 hash;
    uint8_t measured[BOOT_SHA256_DIGEST_SIZE];
    uint32_t size = boot_record_slot_size(record, slot);
    if (size == 0 || size > flash->areas[slot].size) return 0;
    boot_sha256_init(&hash);
    for (uint32_t at = 0; at < size; at += sizeof chunk) {
        uint32_t n = size - at < sizeof chunk ? size - at : (uint32_t)sizeof chunk;
        int status = boot_flash_status(flash->read(flash->context, slot, at, chunk, n));
        if (status != BOOT_OK) return status;
        boot_sha256_update(&hash, chunk, n);
    }
    boot_sha256_final(&hash, measured);
    return memcmp(measured, boot_record_slot_digest(record, slot), sizeof measured) == 0 ? 1 : 0;
}

/* 1 when the slot may start, 0 when not, or a negative status. The port's image check, if it
 * has one, comes first (its first refusal is kept for the log line); an image it checked against
 * its own hash needs no second pass over the slot, any other must match the record's digest
 * (image_matches). Without a record (`record` NULL: the factory image) only the check applies. */
static int image_bootable(const struct boot_flash *flash, const struct boot_record *record, int slot,
                          struct boot_decision *decision)
{
    decision->checked = 0;
    if (flash->check_image) {
        uint32_t size = record ? boot_record_slot_size(record, slot) : 0;
        int refusal = flash->check_image(flash->check_context, slot, size, &decision->checked);
        if (refusal != 0) {
            if (decision->refused_slot == BOOT_NO_SLOT) {
                decision->refused_slot = slot;
                decision->refusal = refusal;
            }
            decision->slot_refusal[slot] = refusal;
            return 0;
        }
    }
    if (!record || decision->checked != 0) return 1;
    return image_matches(flash, record, slot);
}

static int decided(struct boot_decision *decision, int slot, enum boot_rule rule)
{
    decision->slot = slot;
    decision->rule = rule;
    return BOOT_OK;
}

int boot_decide(const struct boot_flash *flash, struct boot_decision *decision)
{
    struct boot_record *record = &decision->record;
    decision->trial_failed = false;
    decision->writes_record = false;
    decision->slot = BOOT_NO_SLOT;
    decision->rule = BOOT_RULE_NOTHING_BOOTABLE;
    decision->checked = 0;
    decision->refused_slot = BOOT_NO_SLOT;
    decision->refusal = 0;
    memset(decision->slot_refusal, 0, sizeof decision->slot_refusal);
    int status = boot_record_area_check(flash);
    if (status != BOOT_OK) return status;
    for (int slot = BOOT_AREA_SLOT_A; slot <= BOOT_AREA_SLOT_B; slot++) {
        status = boot_area_check(flash, slot);
        if (status != BOOT_OK) return status;
    }
    status = boot_record_load(flash, record);
    if (status == BOOT_NO_RECORD) {
        /* The factory image: checked too, or erasing area 0 would bypass the check. */
        int bootable = image_bootable(flash, NULL, BOOT_AREA_SLOT_A, decision);
        if (bootable < 0) return bootable;
        return bootable ? decided(decision, BOOT_AREA_SLOT_A, BOOT_RULE_NO_RECORD)
                        : decided(decision, BOOT_NO_SLOT, BOOT_RULE_NOTHING_BOOTABLE);
    }
    if (status != BOOT_OK) return status;

    int trial = boot_record_trial(record);
    if (trial != BOOT_NO_SLOT) {
        int attempts = boot_record_attempts(record);
        if (attempts > 0 && boot_record_slot_state(record, trial) == BOOT_SLOT_TRIAL) {
            int matches = image_bootable(flash, record, trial, decision);
            if (matches < 0) return matches;
            if (matches == 1) {
                boot_record_set_trial(record, trial, attempts - 1, true);
                decision->writes_record = true;
                return decided(decision, trial, BOOT_RULE_TRIAL_BOOT);
            }
        }
        boot_record_set_slot_failed(record, trial, decision->slot_refusal[trial]);
        boot_record_set_trial(record, BOOT_NO_SLOT, 0, false);
        decision->trial_failed = true;
        decision->writes_record = true;
    }

    int active = boot_record_active(record);
    if (boot_record_slot_state(record, active) == BOOT_SLOT_CONFIRMED) {
        int matches = image_bootable(flash, record, active, decision);
        if (matches < 0) return matches;
        if (matches == 1) return decided(decision, active, BOOT_RULE_ACTIVE);
    }
    int other = other_slot(active);
    if (boot_record_slot_state(record, other) == BOOT_SLOT_CONFIRMED) {
        int matches = image_bootable(flash, record, other, decision);
        if (matches < 0) return matches;
        if (matches == 1) {
            boot_record_set_slot_failed(record, active, decision->slot_refusal[active]);
            boot_record_set_active(record, other);
            decision->writes_record = true;
            return decided(decision, other, BOOT_RULE_OTHER_CONFIRMED);
        }
    }
    return decided(decision, BOOT_NO_SLOT, BOOT_RULE_NOTHING_BOOTABLE);
}

int boot_decision_apply(const struct boot_flash *flash, struct boot_decision *decision)
{
    if (!decision->writes_record) return BOOT_OK;
    return boot_record_store(flash, &decision->record);
}

const char *boot_rule_name(enum boot_rule rule)
{
    switch (rule) {
    case BOOT_RULE_NO_RECORD: return "no-record";
    case BOOT_RULE_TRIAL_BOOT: return "trial-boot";
    case BOOT_RULE_ACTIVE: return "active";
    case BOOT_RULE_OTHER_CONFIRMED: return "other-confirmed";
    case BOOT_RULE_NOTHING_BOOTABLE: return "nothing-bootable";
    }
    return "unknown";
}

const char *boot_slot_name(int slot)
{
    return slot == 1 ? "A" : slot == 2 ? "B" : "none";
}
