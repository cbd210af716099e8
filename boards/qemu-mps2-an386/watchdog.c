#include "watchdog.h"

#define WDOG_BASE 0x40008000u
#define WDOG_LOAD (*(volatile uint32_t *)(WDOG_BASE + 0x000u))
#define WDOG_CTRL (*(volatile uint32_t *)(WDOG_BASE + 0x008u))
#define WDOG_INTCLR (*(volatile uint32_t *)(WDOG_BASE + 0x00Cu))
#define WDOG_LOCK (*(volatile uint32_t *)(WDOG_BASE + 0xC00u))
#define WDOG_UNLOCK_KEY 0x1ACCE551u
#define WDOG_CTRL_INTEN_RESEN 0x3u

void watchdog_start(uint32_t ticks)
{
    WDOG_LOCK = WDOG_UNLOCK_KEY;
    WDOG_LOAD = ticks;
    WDOG_CTRL = WDOG_CTRL_INTEN_RESEN;
    WDOG_LOCK = 0;
}

void watchdog_kick(void)
{
    WDOG_LOCK = WDOG_UNLOCK_KEY;
    WDOG_INTCLR = 1; /* also reloads the counter */
    WDOG_LOCK = 0;
}
