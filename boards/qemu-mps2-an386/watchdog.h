/*
 * The CMSDK APB watchdog at 0x40008000. At its first expiry it raises its interrupt (the NMI
 * on this board); at the second, with the interrupt still raised, it resets the machine. The
 * bootloader starts it before every hand-over, so an application that hangs is reset; a
 * healthy one kicks it from its main loop.
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

#include <stdint.h>

/* First expiry after `ticks` of the 25 MHz clock, the reset `ticks` later. */
void watchdog_start(uint32_t ticks);
/* Clears the interrupt and counts from the start again. */
void watchdog_kick(void);

#endif
