/*
 * The nRF52840's internal flash through its NVMC, by register: the HAL's three areas
 * (flash_layout.h) with the part's rules checked before the NVMC is touched: erase whole
 * 4 KiB pages, program whole 32-bit words, and only words that are erased. A refused call
 * changes nothing. Codes are those of otau_hal.h.
 */
#ifndef NVMC_FLASH_H
#define NVMC_FLASH_H

#include <stdint.h>

#include "otau_hal.h"

int32_t nvmc_flash_info(uint32_t area, struct otau_flash_area_info *info);
int32_t nvmc_flash_read(uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len);
int32_t nvmc_flash_write(uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len);
int32_t nvmc_flash_erase(uint32_t area, uint32_t offset, uint32_t len);

#endif
