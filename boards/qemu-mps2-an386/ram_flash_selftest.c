/*
 * The flash driver's bring-up self-test: every NOR rule of ram_flash.c is tried against the
 * part, including that a refused call leaves the bytes as they were. Prints one line per
 * check and returns the number of failed checks.
 */
#include "ram_flash_selftest.h"

#include <string.h>

#include "flash_layout.h"
#include "mapped_nor.h"
#include "ram_flash.h"
#include "semihost.h"

static unsigned failures;

static void check(int passed, const char *what)
{
    console_printf("flash self-test: %s: %s\n", passed ? "ok" : "FAILED", what);
    if (!passed) failures++;
}

static int bytes_are(uint32_t area, uint32_t offset, uint32_t len, uint8_t value)
{
    const uint8_t *bytes = ram_flash_bytes(area) + offset;
    for (uint32_t i = 0; i < len; i++)
        if (bytes[i] != value) return 0;
    return 1;
}

unsigned ram_flash_selftest(void)
{
    static const uint8_t pattern[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t back[8];
    struct otau_flash_area_info info;
    const uint32_t area = OTAU_AREA_SLOT_B;
    failures = 0;
    ram_flash_power_on();

    check(ram_flash_info(area, &info) == OTAU_FLASH_OK && info.size == NOR_SLOT_SIZE &&
              info.sector_size == NOR_SECTOR_SIZE && info.write_align == NOR_WRITE_ALIGN &&
              info.erased_value == NOR_ERASED_VALUE,
          "info describes slot B's geometry");
    check(ram_flash_info(OTAU_AREA_TRUST_STORE, &info) == OTAU_FLASH_OK && info.size == NOR_TRUST_STORE_SIZE,
          "info describes the trust store (area 3)");
    check(ram_flash_info(MAPPED_NOR_AREAS, &info) == OTAU_FLASH_NO_SUCH_AREA,
          "info refuses an unknown area");
    check(bytes_are(area, 0, NOR_SLOT_SIZE, NOR_ERASED_VALUE), "the part starts erased");

    check(ram_flash_write(area, 0, pattern, 8) == OTAU_FLASH_OK &&
              ram_flash_read(area, 0, back, 8) == OTAU_FLASH_OK && memcmp(back, pattern, 8) == 0,
          "an aligned write to erased bytes reads back");
    check(ram_flash_write(area, 0, pattern + 4, 4) == OTAU_FLASH_NOT_ERASED &&
              memcmp(ram_flash_bytes(area), pattern, 8) == 0,
          "a write over programmed bytes is refused and changes nothing");
    check(ram_flash_write(area, 12, pattern, 8) == OTAU_FLASH_OK &&
              ram_flash_write(area, 8, pattern, 8) == OTAU_FLASH_NOT_ERASED &&
              bytes_are(area, 8, 4, NOR_ERASED_VALUE),
          "a write partly over programmed bytes is refused before programming any");
    check(ram_flash_write(area, 2, pattern, 4) == OTAU_FLASH_MISALIGNED &&
              bytes_are(area, 20, 4, NOR_ERASED_VALUE),
          "a write at an unaligned offset is refused");
    check(ram_flash_write(area, 24, pattern, 3) == OTAU_FLASH_MISALIGNED &&
              bytes_are(area, 24, 4, NOR_ERASED_VALUE),
          "a write of an unaligned length is refused");
    check(ram_flash_write(area, NOR_SLOT_SIZE - 4, pattern, 8) == OTAU_FLASH_OUT_OF_RANGE &&
              bytes_are(area, NOR_SLOT_SIZE - 4, 4, NOR_ERASED_VALUE),
          "a write past the area's end is refused");
    check(ram_flash_read(area, 0xFFFFFFFCu, back, 8) == OTAU_FLASH_OUT_OF_RANGE,
          "a read whose end overflows 32 bits is refused");
    check(ram_flash_write(MAPPED_NOR_AREAS, 0, pattern, 4) == OTAU_FLASH_NO_SUCH_AREA,
          "a write to an unknown area is refused");

    check(ram_flash_erase(area, 1024, NOR_SECTOR_SIZE) == OTAU_FLASH_MISALIGNED &&
              memcmp(ram_flash_bytes(area), pattern, 8) == 0,
          "an erase at an unaligned offset is refused and changes nothing");
    check(ram_flash_erase(area, 0, NOR_SECTOR_SIZE / 2) == OTAU_FLASH_MISALIGNED,
          "an erase of part of a sector is refused");
    check(ram_flash_erase(area, NOR_SLOT_SIZE - NOR_SECTOR_SIZE, 2 * NOR_SECTOR_SIZE) ==
              OTAU_FLASH_OUT_OF_RANGE,
          "an erase past the area's end is refused");
    check(ram_flash_write(area, NOR_SECTOR_SIZE, pattern, 8) == OTAU_FLASH_OK &&
              ram_flash_erase(area, 0, NOR_SECTOR_SIZE) == OTAU_FLASH_OK &&
              bytes_are(area, 0, NOR_SECTOR_SIZE, NOR_ERASED_VALUE) &&
              memcmp(ram_flash_bytes(area) + NOR_SECTOR_SIZE, pattern, 8) == 0,
          "an erase clears exactly its sector");
    check(ram_flash_write(area, 0, pattern, 8) == OTAU_FLASH_OK,
          "an erased sector can be programmed again");
    check(bytes_are(OTAU_AREA_SLOT_A, 0, NOR_SLOT_SIZE, NOR_ERASED_VALUE) &&
              bytes_are(OTAU_AREA_BOOT_RECORD, 0, NOR_BOOT_RECORD_SIZE, NOR_ERASED_VALUE),
          "the other areas are untouched");

    ram_flash_power_on();
    return failures;
}
