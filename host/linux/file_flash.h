/*
 * A strict NOR flash kept in a file (or only in memory): the three areas of otau_hal.h laid out
 * back to back (boot record, slot A, slot B). It refuses what real NOR refuses, so a bug that
 * would corrupt a device fails here first: erases of partial sectors, misaligned writes, and
 * writes onto bytes that are not erased (or, with and_writes, bits can only move away from the
 * erased state, as on parts that allow re-programming).
 */
#ifndef OTAU_FILE_FLASH_H
#define OTAU_FILE_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "otau_hal.h"

/* The three areas every port has and the optional trust store, OTAU_AREA_TRUST_STORE (the keys
 * images must be signed with; docs/boot-record.md "Trust store"), after them in the file when
 * its size is not 0. */
#define FILE_FLASH_AREAS (OTAU_AREA_TRUST_STORE + 1)

struct file_flash_geometry {
    uint32_t area_size[FILE_FLASH_AREAS]; /* each a multiple of sector_size; the trust store's may be 0 (none) */
    uint32_t sector_size;
    uint32_t write_align; /* a power of two that divides sector_size */
    uint8_t erased_value; /* 0xFF or 0x00 */
    /* false: a write must only target erased bytes. true: programming combines old and new
     * (old & new when erased is 0xFF, old | new when it is 0x00) and never fails for it. */
    bool and_writes;
};

/* 16 KiB boot record (four sectors: the agent keeps two record copies and two journal pages),
 * two 256 KiB slots, no trust store, 4 KiB sectors, 4-byte writes, erased 0xFF. */
extern const struct file_flash_geometry file_flash_default_geometry;

struct file_flash;

/*
 * Opens the flash. With `path`, an existing image must have the geometry's total size and is
 * read in; a missing one is created erased; every write and erase is written through to it.
 * With `path` NULL the flash lives only in memory, erased. On failure returns NULL and writes a
 * one-line reason into `error`.
 */
struct file_flash *file_flash_open(const char *path, const struct file_flash_geometry *geometry,
                                   char *error, size_t error_size);
void file_flash_close(struct file_flash *flash);

/* The functions of struct otau_hal, with the same results (enum otau_flash_result). */
int32_t file_flash_info(struct file_flash *flash, uint32_t area, struct otau_flash_area_info *info);
int32_t file_flash_read(struct file_flash *flash, uint32_t area, uint32_t offset, uint8_t *dst,
                        uint32_t len);
int32_t file_flash_write(struct file_flash *flash, uint32_t area, uint32_t offset,
                         const uint8_t *src, uint32_t len);
int32_t file_flash_erase(struct file_flash *flash, uint32_t area, uint32_t offset, uint32_t len);

#endif /* OTAU_FILE_FLASH_H */
