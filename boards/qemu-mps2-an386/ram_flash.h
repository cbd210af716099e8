/*
 * A NOR flash part emulated in RAM with the rules of the real thing: erase whole sectors
 * only, program only erased bytes, offsets and lengths aligned to the program unit. Areas
 * and codes are those of the HAL (otau_hal.h); a refused call changes nothing.
 */
#ifndef RAM_FLASH_H
#define RAM_FLASH_H

#include <stdint.h>

#include "otau_hal.h"

/* The part as it leaves the factory: every byte erased. */
void ram_flash_power_on(void);

int32_t ram_flash_info(uint32_t area, struct otau_flash_area_info *info);
int32_t ram_flash_read(uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len);
int32_t ram_flash_write(uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len);
int32_t ram_flash_erase(uint32_t area, uint32_t offset, uint32_t len);

/* The area's bytes, for reading in place (a memory-mapped part); NULL for an unknown area. */
const uint8_t *ram_flash_bytes(uint32_t area);

#endif
