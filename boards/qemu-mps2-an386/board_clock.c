/* SysTick as the board's clock and instruction counter (board.h). */
#include "board_clock.h"

#include "board.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE_TICKINT_CPUCLK 0x7u

/* Ticks between SysTick interrupts (systick_start). */
static uint32_t period;

static volatile uint32_t systick_wraps;

void systick_handler(void)
{
    systick_wraps++;
}

uint64_t board_ticks(void)
{
    uint32_t wraps, value;
    do {
        wraps = systick_wraps;
        value = SYST_CVR;
    } while (wraps != systick_wraps);
    return (uint64_t)wraps * period + (period - 1u - value);
}

void systick_start(uint32_t ticks)
{
    period = ticks;
    SYST_RVR = period - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE_TICKINT_CPUCLK;
}

