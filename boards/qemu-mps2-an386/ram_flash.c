#include "ram_flash.h"

#include <string.h>

#include "flash_layout.h"
#include "mapped_nor.h"

/* At fixed PSRAM addresses (flash_layout.h): outside every image's RAM, kept across resets,
 * and where the applications are linked to run. */
static const struct mapped_nor part = {
    .areas = {
        [OTAU_AREA_BOOT_RECORD] = {(uint8_t *)NOR_BOOT_RECORD_ADDRESS, NOR_BOOT_RECORD_SIZE},
        [OTAU_AREA_SLOT_A] = {(uint8_t *)NOR_SLOT_A_ADDRESS, NOR_SLOT_SIZE},
        [OTAU_AREA_SLOT_B] = {(uint8_t *)NOR_SLOT_B_ADDRESS, NOR_SLOT_SIZE},
        [OTAU_AREA_TRUST_STORE] = {(uint8_t *)NOR_TRUST_STORE_ADDRESS, NOR_TRUST_STORE_SIZE},
    },
    .sector_size = NOR_SECTOR_SIZE,
    .write_align = NOR_WRITE_ALIGN,
    .erased_value = NOR_ERASED_VALUE,
};

void ram_flash_power_on(void)
{
    for (uint32_t area = 0; area < MAPPED_NOR_AREAS; area++)
        memset(part.areas[area].bytes, NOR_ERASED_VALUE, part.areas[area].size);
}

int32_t ram_flash_info(uint32_t area, struct otau_flash_area_info *info)
{
    return mapped_nor_info(&part, area, info);
}

int32_t ram_flash_read(uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len)
{
    return mapped_nor_read(&part, area, offset, dst, len);
}

int32_t ram_flash_write(uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len)
{
    int32_t status = mapped_nor_check_write(&part, area, offset, len);
    if (status == OTAU_FLASH_OK) memcpy(part.areas[area].bytes + offset, src, len);
    return status;
}

int32_t ram_flash_erase(uint32_t area, uint32_t offset, uint32_t len)
{
    int32_t status = mapped_nor_check_erase(&part, area, offset, len);
    if (status == OTAU_FLASH_OK) memset(part.areas[area].bytes + offset, NOR_ERASED_VALUE, len);
    return status;
}

const uint8_t *ram_flash_bytes(uint32_t area)
{
    return area < MAPPED_NOR_AREAS ? part.areas[area].bytes : NULL;
}
