/*
 * A memory-mapped NOR part as a board's flash driver sees it: the HAL's three areas
 * (otau_hal.h) and the optional trust store (area 3: a part without it leaves its entry
 * empty and answers OTAU_FLASH_NO_SUCH_AREA), the part's geometry, and its rules checked before the part is touched:
 * erase whole sectors, program aligned units of erased bytes only. A board keeps only what
 * its part does differently: how it programs and how it erases, after the checks here pass.
 * Codes are those of otau_hal.h, in the order of its checks: area, range, alignment, erased.
 */
#ifndef MAPPED_NOR_H
#define MAPPED_NOR_H

#include <stdint.h>

#include "otau_hal.h"

#define MAPPED_NOR_AREAS (OTAU_AREA_TRUST_STORE + 1)

struct mapped_nor {
    struct mapped_nor_area {
        uint8_t *bytes; /* where the area is mapped: reads are plain loads */
        uint32_t size;
    } areas[MAPPED_NOR_AREAS];
    uint32_t sector_size;
    uint32_t write_align;
    uint8_t erased_value;
};

int32_t mapped_nor_info(const struct mapped_nor *part, uint32_t area,
                        struct otau_flash_area_info *info);
int32_t mapped_nor_read(const struct mapped_nor *part, uint32_t area, uint32_t offset, uint8_t *dst,
                        uint32_t len);
/* OTAU_FLASH_OK when a write of `len` bytes at `offset` may be programmed: inside the area,
 * aligned to write_align, every target byte erased. */
int32_t mapped_nor_check_write(const struct mapped_nor *part, uint32_t area, uint32_t offset,
                               uint32_t len);
/* OTAU_FLASH_OK when an erase of `len` bytes at `offset` covers whole sectors inside the area. */
int32_t mapped_nor_check_erase(const struct mapped_nor *part, uint32_t area, uint32_t offset,
                               uint32_t len);

#endif
