/*
 * Start-up and run-time support of the MPS2 AN386 board: vector table, reset handler, a
 * bounded heap for malloc, a painted stack for its high-water mark, and SysTick as the
 * board's clock and instruction counter.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "board.h"

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];
extern uint8_t __heap_start[], __heap_end[];
extern uint32_t __stack_bottom[], __stack_top[];

extern int main(void);
extern void initialise_monitor_handles(void); /* newlib rdimon: opens the semihosting console */

#define STACK_PAINT 0x5AC3A55Au

/* ---- Heap: malloc grows only up to the linker script's HEAP_SIZE (rdimon's _sbrk would
 * run into the stack). */
static uint8_t *heap_top = __heap_start;

void *_sbrk(ptrdiff_t increment)
{
    uint8_t *previous = heap_top;
    if (increment > __heap_end - heap_top || increment < __heap_start - heap_top) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_top += increment;
    return previous;
}

uint32_t board_heap_high_water(void)
{
    /* newlib-nano never gives memory back to _sbrk, so the top is also the high mark. */
    return (uint32_t)(heap_top - __heap_start);
}

uint32_t board_heap_size(void)
{
    return (uint32_t)(__heap_end - __heap_start);
}

/* ---- Stack: painted at reset; the deepest word that lost its paint is the high mark. */
static void paint_stack(void)
{
    uint32_t *here = (uint32_t *)__builtin_frame_address(0);
    for (uint32_t *word = __stack_bottom; word < here - 16; word++) *word = STACK_PAINT;
}

uint32_t board_stack_high_water(void)
{
    const uint32_t *word = __stack_bottom;
    while (word < __stack_top && *word == STACK_PAINT) word++;
    return (uint32_t)((const uint8_t *)__stack_top - (const uint8_t *)word);
}

uint32_t board_stack_size(void)
{
    return (uint32_t)((const uint8_t *)__stack_top - (const uint8_t *)__stack_bottom);
}

/* ---- SysTick, counting down from 2^24 - 1 at the 25 MHz CPU clock; wraps are counted in
 * the interrupt. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE_TICKINT_CPUCLK 0x7u
#define SYST_PERIOD (1u << 24)

static volatile uint32_t systick_wraps;

static void systick_handler(void)
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
    return (uint64_t)wraps * SYST_PERIOD + (SYST_PERIOD - 1u - value);
}

static void systick_start(void)
{
    SYST_RVR = SYST_PERIOD - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE_TICKINT_CPUCLK;
}

/* ---- Reset and faults. */
static void fault_handler(void)
{
    _exit(BOARD_EXIT_FAULT);
}

void reset_handler(void)
{
    for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
    paint_stack();
    initialise_monitor_handles();
    systick_start();
    exit(main());
}

/* newlib's exit() runs _fini; nothing here needs it. */
void _init(void) {}
void _fini(void) {}

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vector_table[16] = {
    (vector)__stack_top, reset_handler, fault_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, 0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler,
    systick_handler,
};
