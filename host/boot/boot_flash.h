/*
 * What the boot decision needs from a flash port: the three areas' geometry and
 * read/write/erase, with the same numbering and return codes as the agent's flash
 * imports (docs/abi.md "Flash"). A port fills one struct; the decision calls nothing else.
 */
#ifndef BOOT_FLASH_H
#define BOOT_FLASH_H

#include <stdint.h>

enum boot_area_id {
    BOOT_AREA_RECORD = 0,
    BOOT_AREA_SLOT_A = 1,
    BOOT_AREA_SLOT_B = 2,
    BOOT_AREA_COUNT = 3,
};

struct boot_area_geometry {
    uint32_t size;
    uint32_t sector_size;  /* erase unit */
    uint32_t write_align;  /* program unit: offsets and lengths are multiples of it */
    uint32_t erased_value; /* 0xFF or 0x00 */
};

struct boot_flash {
    void *context;
    struct boot_area_geometry areas[BOOT_AREA_COUNT];
    /* Each returns 0 or a negative code: -1 no such area, -2 out of range, -3 misaligned,
     * -4 not erased, -5 device error. */
    int (*read)(void *context, int area, uint32_t offset, void *dst, uint32_t len);
    int (*write)(void *context, int area, uint32_t offset, const void *src, uint32_t len);
    int (*erase)(void *context, int area, uint32_t offset, uint32_t len);
    /* Optional (NULL: the record's digest is the only check): checks the image in `slot` before
     * it starts, `size` the record's size for it (0: no record). 0 accepted, else why not. An
     * accepted image's *checked is 0 when the check did not cover its bytes (the record's digest
     * then decides, as without a check) or what it verified them against (non-zero: the image's
     * own hash, its signature). host/boot/boot_image_check.c is the secure-boot one. */
    int (*check_image)(void *check_context, int slot, uint32_t size, int *checked);
    void *check_context;
};

#endif
