#include "nvmc_flash.h"

#include <string.h>

#include "flash_layout.h"

/* NVMC registers (nRF52840 Product Specification v1.7, section 4.3.9). */
#define NVMC_BASE 0x4001E000u
#define NVMC_READY (*(volatile uint32_t *)(NVMC_BASE + 0x400u))
#define NVMC_CONFIG (*(volatile uint32_t *)(NVMC_BASE + 0x504u))
#define NVMC_ERASEPAGE (*(volatile uint32_t *)(NVMC_BASE + 0x508u))
#define NVMC_CONFIG_REN 0u /* read only */
#define NVMC_CONFIG_WEN 1u /* write enabled */
#define NVMC_CONFIG_EEN 2u /* erase enabled */

static const struct area {
    uint32_t address;
    uint32_t size;
} areas[OTAU_AREA_COUNT] = {
    [OTAU_AREA_BOOT_RECORD] = {BOOT_RECORD_ADDRESS, BOOT_RECORD_SIZE},
    [OTAU_AREA_SLOT_A] = {SLOT_A_ADDRESS, SLOT_SIZE},
    [OTAU_AREA_SLOT_B] = {SLOT_B_ADDRESS, SLOT_SIZE},
};

static int32_t check_range(uint32_t area, uint32_t offset, uint32_t len)
{
    if (area >= OTAU_AREA_COUNT) return OTAU_FLASH_NO_SUCH_AREA;
    if (offset > areas[area].size || len > areas[area].size - offset) return OTAU_FLASH_OUT_OF_RANGE;
    return OTAU_FLASH_OK;
}

static void wait_ready(void)
{
    while (!(NVMC_READY & 1u)) {
    }
}

/* Flash is memory-mapped: reads are plain loads. */
static const uint8_t *mapped(uint32_t area, uint32_t offset)
{
    return (const uint8_t *)(areas[area].address + offset);
}

int32_t nvmc_flash_info(uint32_t area, struct otau_flash_area_info *info)
{
    if (area >= OTAU_AREA_COUNT) return OTAU_FLASH_NO_SUCH_AREA;
    info->size = areas[area].size;
    info->sector_size = NRF_FLASH_PAGE_SIZE;
    info->write_align = NRF_FLASH_WORD;
    info->erased_value = NRF_FLASH_ERASED_VALUE;
    return OTAU_FLASH_OK;
}

int32_t nvmc_flash_read(uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len)
{
    int32_t status = check_range(area, offset, len);
    if (status != OTAU_FLASH_OK) return status;
    memcpy(dst, mapped(area, offset), len);
    return OTAU_FLASH_OK;
}

int32_t nvmc_flash_write(uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len)
{
    int32_t status = check_range(area, offset, len);
    if (status != OTAU_FLASH_OK) return status;
    if (offset % NRF_FLASH_WORD || len % NRF_FLASH_WORD) return OTAU_FLASH_MISALIGNED;
    const uint8_t *target = mapped(area, offset);
    for (uint32_t i = 0; i < len; i++)
        if (target[i] != NRF_FLASH_ERASED_VALUE) return OTAU_FLASH_NOT_ERASED;

    NVMC_CONFIG = NVMC_CONFIG_WEN;
    wait_ready();
    volatile uint32_t *word = (volatile uint32_t *)(areas[area].address + offset);
    for (uint32_t i = 0; i < len; i += NRF_FLASH_WORD) {
        uint32_t value;
        memcpy(&value, src + i, sizeof value); /* the agent's buffer need not be word-aligned */
        *word++ = value;
        wait_ready();
    }
    NVMC_CONFIG = NVMC_CONFIG_REN;
    wait_ready();
    /* The part reports no failure of its own: a read-back tells a worn or protected page. */
    return memcmp(target, src, len) == 0 ? OTAU_FLASH_OK : OTAU_FLASH_DEVICE_ERROR;
}

int32_t nvmc_flash_erase(uint32_t area, uint32_t offset, uint32_t len)
{
    int32_t status = check_range(area, offset, len);
    if (status != OTAU_FLASH_OK) return status;
    if (offset % NRF_FLASH_PAGE_SIZE || len % NRF_FLASH_PAGE_SIZE) return OTAU_FLASH_MISALIGNED;
    NVMC_CONFIG = NVMC_CONFIG_EEN;
    wait_ready();
    for (uint32_t at = 0; at < len; at += NRF_FLASH_PAGE_SIZE) {
        NVMC_ERASEPAGE = areas[area].address + offset + at;
        wait_ready();
    }
    NVMC_CONFIG = NVMC_CONFIG_REN;
    wait_ready();
    return OTAU_FLASH_OK;
}
