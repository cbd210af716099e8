/*
 * The bootloader's decision at a reset, over the board's flash: host/boot's table, its record
 * update stored when `apply`, and one console line naming the slot and the rule
 * ("bootloader: slot B (trial-boot)"). Used by the bootloader image and by the bench
 * firmware, which plays the bootloader between its emulated resets.
 */
#ifndef BOOT_STEP_H
#define BOOT_STEP_H

#include <stdbool.h>

#include "boot_decision.h"
#include "otau_hal.h"

/* The image check a bootloader runs before a slot starts (boot_image_check, secure boot), or
 * NULL for the record's digest alone (the bench firmware's emulated resets). */
typedef int (*boot_check_image)(void *check_context, int slot, uint32_t size, int *checked);

/* BOOT_OK or the boot_status that stopped it (also printed). A slot the check refused gets its
 * own line first ("bootloader: slot B refused: <reason>"); a check that passed, one after. */
int boot_step(const struct otau_hal *hal, struct boot_decision *decision, bool apply, boot_check_image check);

#endif
