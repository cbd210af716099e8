#include "linux_bootloader.h"

#include "boot_decision.h"
#include "boot_status.h"

static int boot_read(void *context, int area, uint32_t offset, void *dst, uint32_t len)
{
    return file_flash_read(context, (uint32_t)area, offset, dst, len);
}

static int boot_write(void *context, int area, uint32_t offset, const void *src, uint32_t len)
{
    return file_flash_write(context, (uint32_t)area, offset, src, len);
}

static int boot_erase(void *context, int area, uint32_t offset, uint32_t len)
{
    return file_flash_erase(context, (uint32_t)area, offset, len);
}

int linux_bootloader_run(struct linux_device *device)
{
    struct boot_flash flash = {
        .context = device->flash,
        .read = boot_read,
        .write = boot_write,
        .erase = boot_erase,
    };
    for (int area = 0; area < BOOT_AREA_COUNT; area++) {
        struct otau_flash_area_info info;
        int status = file_flash_info(device->flash, (uint32_t)area, &info);
        if (status != OTAU_FLASH_OK) return status;
        flash.areas[area] = (struct boot_area_geometry){info.size, info.sector_size,
                                                        info.write_align, info.erased_value};
    }
    /* Static: a decision holds a record buffer, and the bootloader code keeps off the heap. */
    static struct boot_decision decision;
    int status = boot_decide(&flash, &decision);
    if (status == BOOT_OK) status = boot_decision_apply(&flash, &decision);
    if (status != BOOT_OK) {
        linux_log(device, OTAU_LOG_ERROR, "bootloader: %s", boot_status_name(status));
        return status;
    }
    static const char *const slot_names[] = {"none", "A", "B"};
    linux_log(device, OTAU_LOG_INFO, "bootloader: slot %s (%s%s)", slot_names[decision.slot],
              boot_rule_name(decision.rule), decision.trial_failed ? ", trial failed" : "");
    return 0;
}
