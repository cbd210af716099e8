/*
 * The bootloader image (bootloader.elf), loaded at 0x0 and run at every reset: the boot
 * decision over the persistent NOR part (host/boot, one console line:
 * "bootloader: slot B (trial-boot)") with the image check of every slot it starts (secure
 * boot, host/boot/boot_image_check.c: signed by a key of the trust store, area 3), its record
 * update stored, the watchdog started, then the hand-over to the application linked for the
 * chosen slot (cpu_hand_over). The slot holds an MCUboot image (slot_image.h) whose body runs
 * in place: its vector table is at slot + hdr_size.
 */
#include <stdbool.h>

#include "board.h"
#include "board_hal.h"
#include "boot_image_check.h"
#include "boot_status.h"
#include "boot_step.h"
#include "cortexm_runtime.h"
#include "cpu.h"
#include "flash_layout.h"
#include "semihost.h"
#include "slot_image.h"
#include "watchdog.h"

/* The application's first expiry comes after 0.25 s of the 25 MHz clock without a kick, the
 * reset 0.25 s later. Under `-icount shift=0` that is 250 million instructions; the longest
 * stretch a healthy application spends between kicks is a few million. */
#define WATCHDOG_TICKS (BOARD_TICKS_PER_MS * 250u)
#define RAM_START 0x20000000u
#define RAM_END 0x20100000u

static const struct otau_hal boot_hal = {
    .flash_info = board_flash_info,
    .flash_read = board_flash_read,
    .flash_write = board_flash_write,
    .flash_erase = board_flash_erase,
};

static uint32_t slot_address(int slot)
{
    return slot == BOOT_AREA_SLOT_A ? NOR_SLOT_A_ADDRESS : NOR_SLOT_B_ADDRESS;
}

/* The body's vector table: its initial stack in RAM, its reset vector (Thumb) in the slot. */
static bool vectors_in(uint32_t vectors_address, uint32_t slot_address)
{
    const uint32_t *vectors = (const uint32_t *)vectors_address;
    uint32_t stack = vectors[0], entry = vectors[1];
    return stack > RAM_START && stack <= RAM_END && (entry & 1u) &&
           entry > vectors_address && entry < slot_address + NOR_SLOT_SIZE;
}

int main(void)
{
    struct boot_decision decision;
    if (boot_step(&boot_hal, &decision, true, boot_image_check) != BOOT_OK) return BOARD_EXIT_FAILED;
    if (decision.slot == BOOT_NO_SLOT) return BOARD_EXIT_FAILED;
    console_printf("measure bootloader_stack_high_water %lu\n", (unsigned long)cortexm_stack_high_water());
    console_printf("measure bootloader_instructions %lu\n", board_instructions(board_ticks()));
    uint32_t address = slot_address(decision.slot);
    enum slot_image_problem problem = slot_image_check(address, NOR_SLOT_SIZE);
    uint32_t vectors = address + slot_image_header(address)->hdr_size;
    if (problem == SLOT_IMAGE_OK && !vectors_in(vectors, address)) problem = SLOT_IMAGE_NO_VECTORS;
    if (problem != SLOT_IMAGE_OK) {
        if (problem == SLOT_IMAGE_OTHER_ADDRESS)
            console_printf("bootloader: slot %s holds an image linked for 0x%08lx, not 0x%08lx; not starting it\n",
                           boot_slot_name(decision.slot), (unsigned long)slot_image_header(address)->load_addr,
                           (unsigned long)address);
        else
            console_printf("bootloader: slot %s holds %s; not starting it\n", boot_slot_name(decision.slot),
                           slot_image_problem_text(problem));
        /* A trial image: the next boots count its attempts down and fall back to the other slot. */
        if (decision.rule == BOOT_RULE_TRIAL_BOOT) cpu_system_reset();
        return BOARD_EXIT_FAILED;
    }
    watchdog_start(WATCHDOG_TICKS);
    cpu_hand_over(vectors);
}
