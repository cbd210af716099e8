#include "boot_step.h"

#include "boot_flash_hal.h"
#include "boot_status.h"
#include "semihost.h"

int boot_step(const struct otau_hal *hal, struct boot_decision *decision, bool apply)
{
    struct boot_flash flash;
    int status = boot_flash_from_hal(&flash, hal);
    if (status == BOOT_OK) status = boot_decide(&flash, decision);
    if (status == BOOT_OK && apply) status = boot_decision_apply(&flash, decision);
    if (status != BOOT_OK) {
        console_printf("bootloader: %s\n", boot_status_name(status));
        return status;
    }
    console_printf("bootloader: slot %s (%s)\n", boot_slot_name(decision->slot), boot_rule_name(decision->rule));
    return BOOT_OK;
}
