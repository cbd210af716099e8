#include "boot_flash_hal.h"

#include <string.h>

#include "boot_status.h"

static int hal_read(void *context, int area, uint32_t offset, void *dst, uint32_t len)
{
    const struct otau_hal *hal = context;
    return hal->flash_read(hal->context, (uint32_t)area, offset, dst, len);
}

static int hal_write(void *context, int area, uint32_t offset, const void *src, uint32_t len)
{
    const struct otau_hal *hal = context;
    return hal->flash_write(hal->context, (uint32_t)area, offset, src, len);
}

static int hal_erase(void *context, int area, uint32_t offset, uint32_t len)
{
    const struct otau_hal *hal = context;
    return hal->flash_erase(hal->context, (uint32_t)area, offset, len);
}

int boot_flash_from_hal(struct boot_flash *flash, const struct otau_hal *hal)
{
    memset(flash, 0, sizeof *flash);
    for (int area = 0; area < BOOT_AREA_COUNT; area++) {
        struct otau_flash_area_info info;
        int status = hal->flash_info(hal->context, (uint32_t)area, &info);
        if (status != OTAU_FLASH_OK) return status;
        flash->areas[area] = (struct boot_area_geometry){info.size, info.sector_size,
                                                         info.write_align, info.erased_value};
    }
    flash->context = (void *)hal;
    flash->read = hal_read;
    flash->write = hal_write;
    flash->erase = hal_erase;
    return BOOT_OK;
}
