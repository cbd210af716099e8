#include "ram_flash.h"

#include <string.h>

#include "flash_layout.h"

/* In the linker script's NOR region: not RAM of the firmware, and kept across a firmware
 * reset (main() re-runs the bootloader over it). */
__attribute__((section(".nor.record"))) static uint8_t boot_record_area[NOR_BOOT_RECORD_SIZE];
__attribute__((section(".nor.slot_a"))) static uint8_t slot_a_area[NOR_SLOT_SIZE];
__attribute__((section(".nor.slot_b"))) static uint8_t slot_b_area[NOR_SLOT_SIZE];

static const struct area {
    uint8_t *bytes;
    uint32_t size;
} areas[OTAU_AREA_COUNT] = {
    [OTAU_AREA_BOOT_RECORD] = {boot_record_area, NOR_BOOT_RECORD_SIZE},
    [OTAU_AREA_SLOT_A] = {slot_a_area, NOR_SLOT_SIZE},
    [OTAU_AREA_SLOT_B] = {slot_b_area, NOR_SLOT_SIZE},
};

void ram_flash_power_on(void)
{
    for (uint32_t area = 0; area < OTAU_AREA_COUNT; area++)
        memset(areas[area].bytes, NOR_ERASED_VALUE, areas[area].size);
}

/* Area and range checks shared by every call; `offset + len` cannot overflow here. */
static int32_t check_range(uint32_t area, uint32_t offset, uint32_t len)
{
    if (area >= OTAU_AREA_COUNT) return OTAU_FLASH_NO_SUCH_AREA;
    if (offset > areas[area].size || len > areas[area].size - offset) return OTAU_FLASH_OUT_OF_RANGE;
    return OTAU_FLASH_OK;
}

int32_t ram_flash_info(uint32_t area, struct otau_flash_area_info *info)
{
    if (area >= OTAU_AREA_COUNT) return OTAU_FLASH_NO_SUCH_AREA;
    info->size = areas[area].size;
    info->sector_size = NOR_SECTOR_SIZE;
    info->write_align = NOR_WRITE_ALIGN;
    info->erased_value = NOR_ERASED_VALUE;
    return OTAU_FLASH_OK;
}

int32_t ram_flash_read(uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len)
{
    int32_t status = check_range(area, offset, len);
    if (status != OTAU_FLASH_OK) return status;
    memcpy(dst, areas[area].bytes + offset, len);
    return OTAU_FLASH_OK;
}

int32_t ram_flash_write(uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len)
{
    int32_t status = check_range(area, offset, len);
    if (status != OTAU_FLASH_OK) return status;
    if (offset % NOR_WRITE_ALIGN || len % NOR_WRITE_ALIGN) return OTAU_FLASH_MISALIGNED;
    uint8_t *target = areas[area].bytes + offset;
    /* Check every byte before programming any: a refused write changes nothing. */
    for (uint32_t i = 0; i < len; i++)
        if (target[i] != NOR_ERASED_VALUE) return OTAU_FLASH_NOT_ERASED;
    memcpy(target, src, len);
    return OTAU_FLASH_OK;
}

int32_t ram_flash_erase(uint32_t area, uint32_t offset, uint32_t len)
{
    int32_t status = check_range(area, offset, len);
    if (status != OTAU_FLASH_OK) return status;
    if (offset % NOR_SECTOR_SIZE || len % NOR_SECTOR_SIZE) return OTAU_FLASH_MISALIGNED;
    memset(areas[area].bytes + offset, NOR_ERASED_VALUE, len);
    return OTAU_FLASH_OK;
}

const uint8_t *ram_flash_bytes(uint32_t area)
{
    return area < OTAU_AREA_COUNT ? areas[area].bytes : NULL;
}
