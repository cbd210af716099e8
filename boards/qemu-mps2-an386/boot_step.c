#include "boot_step.h"

#include "boot_flash_hal.h"
#include "boot_image_check.h"
#include "boot_status.h"
#include "semihost.h"

int boot_step(const struct otau_hal *hal, struct boot_decision *decision, bool apply, boot_check_image check)
{
    struct boot_flash flash;
    int status = boot_flash_from_hal(&flash, hal);
    flash.check_image = check;
    flash.check_context = (void *)hal;
    if (status == BOOT_OK) status = boot_decide(&flash, decision);
    if (status == BOOT_OK && apply) status = boot_decision_apply(&flash, decision);
    if (status != BOOT_OK) {
        console_printf("bootloader: %s\n", boot_status_name(status));
        return status;
    }
    if (decision->refused_slot != BOOT_NO_SLOT)
        console_printf("bootloader: slot %s refused: %s\n", boot_slot_name(decision->refused_slot),
                       boot_image_refusal_text(decision->refusal));
    console_printf("bootloader: slot %s (%s)\n", boot_slot_name(decision->slot), boot_rule_name(decision->rule));
    if (decision->slot != BOOT_NO_SLOT && decision->checked != BOOT_IMAGE_RECORD_DIGEST_ONLY)
        console_printf("image check: slot %s %s\n", boot_slot_name(decision->slot),
                       boot_image_checked_text(decision->checked));
    return BOOT_OK;
}
