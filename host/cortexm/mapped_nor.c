#include "mapped_nor.h"

#include <stdbool.h>
#include <string.h>

/* Area, range and alignment to `unit`; `offset + len` cannot overflow here. */
static bool has_area(const struct mapped_nor *part, uint32_t area)
{
    return area < MAPPED_NOR_AREAS && part->areas[area].bytes != NULL;
}

static int32_t check_access(const struct mapped_nor *part, uint32_t area, uint32_t offset,
                            uint32_t len, uint32_t unit)
{
    if (!has_area(part, area)) return OTAU_FLASH_NO_SUCH_AREA;
    uint32_t size = part->areas[area].size;
    if (offset > size || len > size - offset) return OTAU_FLASH_OUT_OF_RANGE;
    if (offset % unit || len % unit) return OTAU_FLASH_MISALIGNED;
    return OTAU_FLASH_OK;
}

int32_t mapped_nor_info(const struct mapped_nor *part, uint32_t area,
                        struct otau_flash_area_info *info)
{
    if (!has_area(part, area)) return OTAU_FLASH_NO_SUCH_AREA;
    info->size = part->areas[area].size;
    info->sector_size = part->sector_size;
    info->write_align = part->write_align;
    info->erased_value = part->erased_value;
    return OTAU_FLASH_OK;
}

int32_t mapped_nor_read(const struct mapped_nor *part, uint32_t area, uint32_t offset, uint8_t *dst,
                        uint32_t len)
{
    int32_t status = check_access(part, area, offset, len, 1);
    if (status != OTAU_FLASH_OK) return status;
    memcpy(dst, part->areas[area].bytes + offset, len);
    return OTAU_FLASH_OK;
}

int32_t mapped_nor_check_write(const struct mapped_nor *part, uint32_t area, uint32_t offset,
                               uint32_t len)
{
    int32_t status = check_access(part, area, offset, len, part->write_align);
    if (status != OTAU_FLASH_OK) return status;
    /* Every byte before programming any: a refused write changes nothing. */
    const uint8_t *target = part->areas[area].bytes + offset;
    for (uint32_t i = 0; i < len; i++)
        if (target[i] != part->erased_value) return OTAU_FLASH_NOT_ERASED;
    return OTAU_FLASH_OK;
}

int32_t mapped_nor_check_erase(const struct mapped_nor *part, uint32_t area, uint32_t offset,
                               uint32_t len)
{
    return check_access(part, area, offset, len, part->sector_size);
}
