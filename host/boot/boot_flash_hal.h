/*
 * The bootloader's flash (boot_flash.h) over a port's HAL flash functions (otau_hal.h), so
 * that a board runs its boot decision through the same driver the agent uses.
 */
#ifndef BOOT_FLASH_HAL_H
#define BOOT_FLASH_HAL_H

#include "boot_flash.h"
#include "otau_hal.h"

/* Fills `flash` from `hal` (which must outlive it). BOOT_OK, or the HAL's error for the first
 * area it cannot describe. */
int boot_flash_from_hal(struct boot_flash *flash, const struct otau_hal *hal);

#endif
