/* What startup.c gives the rest of the firmware: the clock and the exit codes. */
#ifndef BOARD_H
#define BOARD_H

#include <stdint.h>

/* The firmware's exit status, which QEMU passes on (semihosting SYS_EXIT_EXTENDED). */
enum board_exit {
    BOARD_EXIT_OK = 0,
    BOARD_EXIT_FAILED = 1, /* a check or the update failed; the console says which */
    BOARD_EXIT_USAGE = 2,  /* unknown mode or missing host file */
    BOARD_EXIT_FAULT = 3   /* a CPU fault */
};

/* SysTick ticks at the 25 MHz CPU clock since reset. Under `qemu -icount shift=0` one tick
 * is 40 instructions exactly (docs/toolchain.md "QEMU"). */
#define BOARD_TICKS_PER_MS 25000u
#define BOARD_INSTRUCTIONS_PER_TICK 40u
uint64_t board_ticks(void);

/* Instructions executed in `ticks` (exact only under -icount shift=0). */
static inline unsigned long board_instructions(uint64_t ticks)
{
    return (unsigned long)(ticks * BOARD_INSTRUCTIONS_PER_TICK);
}

#endif
