/*
 * The bring-up firmware (firmware.elf, run by bringup.sh): one image at 0x0 with several
 * modes, chosen by the first QEMU semihosting argument:
 *
 *   selftest                                      the flash driver's NOR rules
 *   smoke                                         agent start-up, SHA-256 vectors, hashing cost
 *   update <config> <image> <factory image>       a whole update in one run (mode_update.c)
 *
 * Lines starting with "measure " carry the figures bringup.sh reports. The firmware a device
 * really runs is the bootloader image (boot_main.c) and the application (app_main.c).
 */
#include <stdbool.h>
#include <string.h>

#include "bench_modes.h"
#include "board.h"
#include "semihost.h"

/* QEMU passes the kernel's name first when it has one; modes are looked up after it. */
static bool is_kernel_name(const char *word)
{
    size_t len = strlen(word);
    return len >= 4 && strcmp(word + len - 4, ".elf") == 0;
}

int main(void)
{
    static char arguments[256];
    char *argv[6];
    int argc = semihost_arguments(arguments, sizeof arguments, argv, 6);
    int first = argc > 0 && is_kernel_name(argv[0]) ? 1 : 0;
    const char *mode = argc > first ? argv[first] : "";
    int status = BOARD_EXIT_USAGE;
    if (strcmp(mode, "selftest") == 0 && argc == first + 1)
        status = mode_selftest();
    else if (strcmp(mode, "smoke") == 0 && argc == first + 1)
        status = mode_smoke();
    else if (strcmp(mode, "update") == 0 && argc == first + 4)
        status = mode_update(argv[first + 1], argv[first + 2], argv[first + 3]);
    else
        console_printf("usage: selftest | smoke | update <config file> <image file> <factory image file>\n");
    console_printf("board: exit %d\n", status);
    return status;
}
