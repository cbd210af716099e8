#include "nvmc_flash.h"

#include <string.h>

#include "flash_layout.h"
#include "mapped_nor.h"

/* NVMC registers (nRF52840 Product Specification v1.7, section 4.3.9). */
#define NVMC_BASE 0x4001E000u
#define NVMC_READY (*(volatile uint32_t *)(NVMC_BASE + 0x400u))
#define NVMC_CONFIG (*(volatile uint32_t *)(NVMC_BASE + 0x504u))
#define NVMC_ERASEPAGE (*(volatile uint32_t *)(NVMC_BASE + 0x508u))
#define NVMC_CONFIG_REN 0u /* read only */
#define NVMC_CONFIG_WEN 1u /* write enabled */
#define NVMC_CONFIG_EEN 2u /* erase enabled */

/* Flash is memory-mapped: reads are plain loads. */
static const struct mapped_nor part = {
    .areas = {
        [OTAU_AREA_BOOT_RECORD] = {(uint8_t *)BOOT_RECORD_ADDRESS, BOOT_RECORD_SIZE},
        [OTAU_AREA_SLOT_A] = {(uint8_t *)SLOT_A_ADDRESS, SLOT_SIZE},
        [OTAU_AREA_SLOT_B] = {(uint8_t *)SLOT_B_ADDRESS, SLOT_SIZE},
    },
    .sector_size = NRF_FLASH_PAGE_SIZE,
    .write_align = NRF_FLASH_WORD,
    .erased_value = NRF_FLASH_ERASED_VALUE,
};

static void wait_ready(void)
{
    while (!(NVMC_READY & 1u)) {
    }
}

int32_t nvmc_flash_info(uint32_t area, struct otau_flash_area_info *info)
{
    return mapped_nor_info(&part, area, info);
}

int32_t nvmc_flash_read(uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len)
{
    return mapped_nor_read(&part, area, offset, dst, len);
}

int32_t nvmc_flash_write(uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len)
{
    int32_t status = mapped_nor_check_write(&part, area, offset, len);
    if (status != OTAU_FLASH_OK) return status;

    const uint8_t *target = part.areas[area].bytes + offset;
    NVMC_CONFIG = NVMC_CONFIG_WEN;
    wait_ready();
    volatile uint32_t *word = (volatile uint32_t *)target;
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
    int32_t status = mapped_nor_check_erase(&part, area, offset, len);
    if (status != OTAU_FLASH_OK) return status;
    NVMC_CONFIG = NVMC_CONFIG_EEN;
    wait_ready();
    for (uint32_t at = 0; at < len; at += NRF_FLASH_PAGE_SIZE) {
        NVMC_ERASEPAGE = (uint32_t)(part.areas[area].bytes + offset + at);
        wait_ready();
    }
    NVMC_CONFIG = NVMC_CONFIG_REN;
    wait_ready();
    return OTAU_FLASH_OK;
}
