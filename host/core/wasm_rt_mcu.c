/* The wasm2c runtime for microcontrollers: see wasm_rt_mcu.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "wasm_rt_mcu.h"

#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "wasm_rt_mcu.c checks bounds explicitly: build with WASM_RT_MEMCHECK_SIGNAL_HANDLER=0"
#endif

#ifndef WASM_RT_MCU_TABLE_ELEMENTS
#define WASM_RT_MCU_TABLE_ELEMENTS 32u
#endif
#define PAGE_BYTES 65536u

uint32_t wasm_rt_call_stack_depth;

static bool initialized;
static jmp_buf *unwind_target;
static uint8_t *provided_memory;
static uint32_t provided_size;
static wasm_rt_funcref_t table_elements[WASM_RT_MCU_TABLE_ELEMENTS];
static bool table_taken;

void wasm_rt_init(void)
{
    initialized = true;
}

bool wasm_rt_is_initialized(void)
{
    return initialized;
}

void wasm_rt_free(void)
{
    initialized = false;
}

void wasm_rt_trap(wasm_rt_trap_t trap)
{
    if (!unwind_target) abort(); /* a trap outside wasm_rt_mcu_run(): nothing can recover */
    longjmp(*unwind_target, (int)trap);
}

wasm_rt_trap_t wasm_rt_mcu_run(void (*body)(void *argument), void *argument)
{
    jmp_buf target;
    jmp_buf *outer = unwind_target;
    uint32_t depth = wasm_rt_call_stack_depth;
    unwind_target = &target;
    wasm_rt_trap_t trap = (wasm_rt_trap_t)setjmp(target);
    if (trap == WASM_RT_TRAP_NONE) body(argument);
    unwind_target = outer;
    wasm_rt_call_stack_depth = depth;
    return trap;
}

const char *wasm_rt_mcu_trap_text(wasm_rt_trap_t trap)
{
    switch (trap) {
    case WASM_RT_TRAP_NONE:
        return "no trap";
    case WASM_RT_TRAP_OOB:
        return "[trap] out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW:
        return "[trap] integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO:
        return "[trap] integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION:
        return "[trap] invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE:
        return "[trap] unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT:
        return "[trap] indirect call type mismatch";
    case WASM_RT_TRAP_EXHAUSTION:
        return "[trap] stack overflow";
    default:
        return "[trap] unknown";
    }
}

/*
 * A function type is its value types written as base-7 digits after a leading 1: each
 * parameter's type + 1, a 0 between parameters and results, then each result's type + 1. Equal
 * signatures give equal numbers without a table in RAM; up to 11 digits fit in 32 bits. A module
 * with a longer signature traps here, while it is set up (run it under wasm_rt_mcu_run()).
 */
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...)
{
    if (params + results + 1 > 10) wasm_rt_trap(WASM_RT_TRAP_CALL_INDIRECT);
    va_list types;
    va_start(types, results);
    uint32_t code = 1;
    for (uint32_t i = 0; i < params + results; i++) {
        if (i == params) code *= 7;
        code = code * 7 + (uint32_t)va_arg(types, int) + 1;
    }
    va_end(types);
    return code * (results ? 1u : 7u);
}

void wasm_rt_mcu_provide_memory(uint8_t *buffer, uint32_t size)
{
    provided_memory = buffer;
    provided_size = size;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages, uint32_t max_pages)
{
    if (!provided_memory) wasm_rt_trap(WASM_RT_TRAP_OOB);
    uint64_t declared = (uint64_t)initial_pages * PAGE_BYTES;
    memory->data = provided_memory;
    memory->pages = initial_pages;
    memory->max_pages = max_pages;
    memory->size = declared < provided_size ? (uint32_t)declared : provided_size;
    memset(provided_memory, 0, provided_size);
    provided_memory = NULL;
}

/* Grows only inside the provided buffer: the memory limit is the limit. */
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta)
{
    uint32_t old_pages = memory->pages;
    uint64_t pages = (uint64_t)old_pages + delta;
    if (pages > memory->max_pages || pages * PAGE_BYTES > memory->size) return (uint32_t)-1;
    memory->pages = (uint32_t)pages;
    return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory)
{
    memory->data = NULL;
    memory->size = 0;
}

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t *table, uint32_t elements,
                                    uint32_t max_elements)
{
    if (table_taken || elements > WASM_RT_MCU_TABLE_ELEMENTS) wasm_rt_trap(WASM_RT_TRAP_OOB);
    table_taken = true;
    memset(table_elements, 0, sizeof table_elements);
    table->data = table_elements;
    table->size = elements;
    table->max_size = max_elements < WASM_RT_MCU_TABLE_ELEMENTS ? max_elements
                                                                 : WASM_RT_MCU_TABLE_ELEMENTS;
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t *table)
{
    if (table->data == table_elements) table_taken = false;
    table->data = NULL;
    table->size = 0;
}
