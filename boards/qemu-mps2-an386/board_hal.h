/*
 * The HAL pieces every image of this board shares: the four flash functions over the
 * PSRAM-backed NOR part (ram_flash.c), agent log lines on the console, and the SysTick clock.
 * Each firmware builds its own `struct otau_hal` from these plus its reset and transport.
 */
#ifndef BOARD_HAL_H
#define BOARD_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "otau_hal.h"

int32_t board_flash_info(void *context, uint32_t area, struct otau_flash_area_info *info);
int32_t board_flash_read(void *context, uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len);
int32_t board_flash_write(void *context, uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len);
int32_t board_flash_erase(void *context, uint32_t area, uint32_t offset, uint32_t len);
/* "agent <level>: <text>" on the console. */
void board_log(void *context, enum otau_log_level level, const char *text, size_t len);
uint64_t board_clock_ms(void *context);

#endif
