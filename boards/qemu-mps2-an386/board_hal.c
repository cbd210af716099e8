#include "board_hal.h"

#include "board.h"
#include "ram_flash.h"
#include "semihost.h"

int32_t board_flash_info(void *context, uint32_t area, struct otau_flash_area_info *info)
{
    (void)context;
    return ram_flash_info(area, info);
}

int32_t board_flash_read(void *context, uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len)
{
    (void)context;
    return ram_flash_read(area, offset, dst, len);
}

int32_t board_flash_write(void *context, uint32_t area, uint32_t offset, const uint8_t *src, uint32_t len)
{
    (void)context;
    return ram_flash_write(area, offset, src, len);
}

int32_t board_flash_erase(void *context, uint32_t area, uint32_t offset, uint32_t len)
{
    (void)context;
    return ram_flash_erase(area, offset, len);
}

void board_log(void *context, enum otau_log_level level, const char *text, size_t len)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    (void)context;
    console_printf("agent %s: %.*s\n", names[level], (int)len, text);
}

uint64_t board_clock_ms(void *context)
{
    (void)context;
    return board_ticks() / BOARD_TICKS_PER_MS;
}
