/* SysTick, counting down from 2^24 - 1 at the 25 MHz CPU clock; its wraps are counted in the
 * interrupt. board_ticks() (board.h) reads it. Every image's vector table names the handler. */
#ifndef BOARD_CLOCK_H
#define BOARD_CLOCK_H

void systick_start(void);
void systick_handler(void);

#endif
