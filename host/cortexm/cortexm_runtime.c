#include "cortexm_runtime.h"

#include <errno.h>
#include <stddef.h>

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];
extern uint8_t __heap_start[], __heap_end[];
extern uint32_t __stack_bottom[], __stack_top[];

#define STACK_PAINT 0x5AC3A55Au
/* Words left unpainted below the caller's frame: the painting loop's own stack. */
#define PAINT_MARGIN_WORDS 16

static uint8_t *heap_top;

/* inline: painting from a frame of its own would leave that frame below the paint line. */
static inline __attribute__((always_inline)) void paint_stack(void)
{
    uint32_t *here = (uint32_t *)__builtin_frame_address(0);
    for (uint32_t *word = __stack_bottom; word < here - PAINT_MARGIN_WORDS; word++) *word = STACK_PAINT;
}

void cortexm_runtime_init(void)
{
    for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
    heap_top = __heap_start;
    paint_stack();
}

/* newlib's malloc grows through here; a toolchain's default _sbrk would run into the stack. */
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

uint32_t cortexm_heap_high_water(void)
{
    return (uint32_t)(heap_top - __heap_start);
}

uint32_t cortexm_heap_size(void)
{
    return (uint32_t)(__heap_end - __heap_start);
}

uint32_t cortexm_stack_high_water(void)
{
    const uint32_t *word = __stack_bottom;
    while (word < __stack_top && *word == STACK_PAINT) word++;
    return (uint32_t)((const uint8_t *)__stack_top - (const uint8_t *)word);
}

uint32_t cortexm_stack_size(void)
{
    return (uint32_t)((const uint8_t *)__stack_top - (const uint8_t *)__stack_bottom);
}
