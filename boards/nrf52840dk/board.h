/* What startup.c gives the rest of the firmware. */
#ifndef BOARD_H
#define BOARD_H

#include <stdint.h>

/* Milliseconds since reset (SysTick). */
uint64_t board_clock_ms(void);
/* Resets the chip; the bootloader decision runs again at start-up. Does not return. */
void board_reset(void) __attribute__((noreturn));
/* Sleeps until the next interrupt (at the latest the next SysTick). */
void board_wait_for_interrupt(void);

#endif
