#include "linux_bootloader.h"

#include "boot_decision.h"
#include "boot_flash_hal.h"
#include "boot_image_check.h"
#include "boot_status.h"

int linux_bootloader_run(struct linux_device *device)
{
    /* The decision reaches the flash file through the Linux HAL, as a board's does through its own. */
    struct otau_hal hal;
    linux_hal_init(&hal, device);
    struct boot_flash flash;
    int status = boot_flash_from_hal(&flash, &hal);
    /* Secure boot: every slot is checked before it starts (docs/security.md "The bootloader's check"). */
    flash.check_image = boot_image_check;
    flash.check_context = &hal;
    /* Static: a decision holds a record buffer, and the bootloader code keeps off the heap. */
    static struct boot_decision decision;
    if (status == BOOT_OK) status = boot_decide(&flash, &decision);
    if (status == BOOT_OK) status = boot_decision_apply(&flash, &decision);
    if (status != BOOT_OK) {
        linux_log(device, OTAU_LOG_ERROR, "bootloader: %s", boot_status_name(status));
        return status;
    }
    if (decision.refused_slot != BOOT_NO_SLOT) {
        linux_log(device, OTAU_LOG_ERROR, "bootloader: slot %s refused: %s", boot_slot_name(decision.refused_slot),
                  boot_image_refusal_text(decision.refusal));
    }
    linux_log(device, OTAU_LOG_INFO, "bootloader: slot %s (%s%s)", boot_slot_name(decision.slot),
              boot_rule_name(decision.rule), decision.trial_failed ? ", trial failed" : "");
    if (decision.slot != BOOT_NO_SLOT && decision.checked != BOOT_IMAGE_RECORD_DIGEST_ONLY) {
        linux_log(device, OTAU_LOG_INFO, "image check: slot %s %s", boot_slot_name(decision.slot),
                  boot_image_checked_text(decision.checked));
    }
    return 0;
}
