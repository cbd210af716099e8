/* SysTick at the 25 MHz CPU clock, its wraps counted in the interrupt; board_ticks() (board.h)
 * reads it. Every image's vector table names the handler. */
#ifndef BOARD_CLOCK_H
#define BOARD_CLOCK_H

#include <stdint.h>

/* Wraps every `ticks` (at most 2^24): the longest, 1 << 24, for images that only measure; one
 * millisecond for the application, which sleeps between interrupts (wfi). */
#define SYSTICK_LONGEST (1u << 24)
void systick_start(uint32_t ticks);
void systick_handler(void);

#endif
