#define _POSIX_C_SOURCE 200809L
#include "file_flash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Keeps a mistyped size from allocating gigabytes. */
#define FILE_FLASH_MAX_TOTAL (256u * 1024u * 1024u)

const struct file_flash_geometry file_flash_default_geometry = {
    .area_size = {16u * 1024u, 256u * 1024u, 256u * 1024u, 0},
    .sector_size = 4096,
    .write_align = 4,
    .erased_value = 0xFF,
    .and_writes = false,
};

struct file_flash {
    struct file_flash_geometry geometry;
    uint32_t area_base[FILE_FLASH_AREAS];
    uint32_t total_size;
    uint8_t *cells; /* the whole image; reads are served from here */
    int fd;         /* -1 when the flash is not persisted */
};

static const char *const area_names[FILE_FLASH_AREAS] = {"boot record", "slot A", "slot B", "trust store"};

static bool is_power_of_two(uint32_t value)
{
    return value && !(value & (value - 1));
}

static bool geometry_is_valid(const struct file_flash_geometry *g, char *error, size_t error_size)
{
    if (g->sector_size == 0) {
        snprintf(error, error_size, "flash sector size must be positive");
        return false;
    }
    if (!is_power_of_two(g->write_align) || g->sector_size % g->write_align) {
        snprintf(error, error_size,
                 "flash write alignment %u must be a power of two that divides the sector size %u",
                 (unsigned)g->write_align, (unsigned)g->sector_size);
        return false;
    }
    if (g->erased_value != 0xFF && g->erased_value != 0x00) {
        snprintf(error, error_size, "flash erased value must be 0xFF or 0x00, not 0x%02X",
                 (unsigned)g->erased_value);
        return false;
    }
    uint64_t total = 0;
    for (int area = 0; area < FILE_FLASH_AREAS; area++) {
        uint32_t size = g->area_size[area];
        if ((size == 0 && area != OTAU_AREA_TRUST_STORE) || size % g->sector_size) {
            snprintf(error, error_size,
                     "flash %s size %u must be a positive multiple of the sector size %u",
                     area_names[area], (unsigned)size, (unsigned)g->sector_size);
            return false;
        }
        total += size;
    }
    if (total > FILE_FLASH_MAX_TOTAL) {
        snprintf(error, error_size, "flash areas total %llu bytes, more than the %u allowed",
                 (unsigned long long)total, FILE_FLASH_MAX_TOTAL);
        return false;
    }
    return true;
}

static bool read_whole(int fd, uint8_t *dst, uint32_t len)
{
    for (uint32_t done = 0; done < len;) {
        ssize_t got = pread(fd, dst + done, len - done, done);
        if (got <= 0) return false;
        done += (uint32_t)got;
    }
    return true;
}

static bool write_through(struct file_flash *flash, uint32_t at, uint32_t len)
{
    if (flash->fd < 0) return true;
    for (uint32_t done = 0; done < len;) {
        ssize_t put = pwrite(flash->fd, flash->cells + at + done, len - done, at + done);
        if (put <= 0) return false;
        done += (uint32_t)put;
    }
    return true;
}

/* Opens or creates the image behind the flash; the cells are already erased. */
static bool attach_file(struct file_flash *flash, const char *path, char *error, size_t error_size)
{
    flash->fd = open(path, O_RDWR | O_CREAT, 0644);
    if (flash->fd < 0) {
        snprintf(error, error_size, "cannot open flash image %s: %s", path, strerror(errno));
        return false;
    }
    struct stat status;
    if (fstat(flash->fd, &status) != 0) {
        snprintf(error, error_size, "cannot stat flash image %s: %s", path, strerror(errno));
        return false;
    }
    if (status.st_size == 0) {
        if (write_through(flash, 0, flash->total_size)) return true;
        snprintf(error, error_size, "cannot write flash image %s: %s", path, strerror(errno));
        return false;
    }
    if ((uint64_t)status.st_size != flash->total_size) {
        snprintf(error, error_size, "flash image %s holds %lld bytes but the areas need %u", path,
                 (long long)status.st_size, (unsigned)flash->total_size);
        return false;
    }
    if (read_whole(flash->fd, flash->cells, flash->total_size)) return true;
    snprintf(error, error_size, "cannot read flash image %s", path);
    return false;
}

struct file_flash *file_flash_open(const char *path, const struct file_flash_geometry *geometry,
                                   char *error, size_t error_size)
{
    if (!geometry_is_valid(geometry, error, error_size)) return NULL;
    struct file_flash *flash = calloc(1, sizeof *flash);
    if (!flash) {
        snprintf(error, error_size, "out of memory for the flash");
        return NULL;
    }
    flash->geometry = *geometry;
    flash->fd = -1;
    for (int area = 0; area < FILE_FLASH_AREAS; area++) {
        flash->area_base[area] = flash->total_size;
        flash->total_size += geometry->area_size[area];
    }
    flash->cells = malloc(flash->total_size);
    if (!flash->cells) {
        snprintf(error, error_size, "out of memory for a %u-byte flash", (unsigned)flash->total_size);
        file_flash_close(flash);
        return NULL;
    }
    memset(flash->cells, geometry->erased_value, flash->total_size);
    if (path && !attach_file(flash, path, error, error_size)) {
        file_flash_close(flash);
        return NULL;
    }
    return flash;
}

void file_flash_close(struct file_flash *flash)
{
    if (!flash) return;
    if (flash->fd >= 0) close(flash->fd);
    free(flash->cells);
    free(flash);
}

/* The common checks, in the order of the ABI's codes: area, range, alignment. */
static int32_t check_access(const struct file_flash *flash, uint32_t area, uint32_t offset,
                            uint32_t len, uint32_t unit)
{
    if (area >= FILE_FLASH_AREAS || flash->geometry.area_size[area] == 0) return OTAU_FLASH_NO_SUCH_AREA;
    if ((uint64_t)offset + len > flash->geometry.area_size[area]) return OTAU_FLASH_OUT_OF_RANGE;
    if (offset % unit || len % unit) return OTAU_FLASH_MISALIGNED;
    return OTAU_FLASH_OK;
}

int32_t file_flash_info(struct file_flash *flash, uint32_t area, struct otau_flash_area_info *info)
{
    if (area >= FILE_FLASH_AREAS || flash->geometry.area_size[area] == 0) return OTAU_FLASH_NO_SUCH_AREA;
    info->size = flash->geometry.area_size[area];
    info->sector_size = flash->geometry.sector_size;
    info->write_align = flash->geometry.write_align;
    info->erased_value = flash->geometry.erased_value;
    return OTAU_FLASH_OK;
}

int32_t file_flash_read(struct file_flash *flash, uint32_t area, uint32_t offset, uint8_t *dst,
                        uint32_t len)
{
    int32_t status = check_access(flash, area, offset, len, 1);
    if (status != OTAU_FLASH_OK) return status;
    memcpy(dst, flash->cells + flash->area_base[area] + offset, len);
    return OTAU_FLASH_OK;
}

int32_t file_flash_write(struct file_flash *flash, uint32_t area, uint32_t offset,
                         const uint8_t *src, uint32_t len)
{
    int32_t status = check_access(flash, area, offset, len, flash->geometry.write_align);
    if (status != OTAU_FLASH_OK) return status;
    uint8_t erased = flash->geometry.erased_value;
    uint8_t *cells = flash->cells + flash->area_base[area] + offset;

    if (!flash->geometry.and_writes) {
        /* Check every byte before changing any: a refused write changes nothing. */
        for (uint32_t i = 0; i < len; i++)
            if (cells[i] != erased) return OTAU_FLASH_NOT_ERASED;
        memcpy(cells, src, len);
    } else if (erased == 0xFF) {
        for (uint32_t i = 0; i < len; i++) cells[i] &= src[i];
    } else {
        for (uint32_t i = 0; i < len; i++) cells[i] |= src[i];
    }
    return write_through(flash, flash->area_base[area] + offset, len) ? OTAU_FLASH_OK
                                                                        : OTAU_FLASH_DEVICE_ERROR;
}

int32_t file_flash_erase(struct file_flash *flash, uint32_t area, uint32_t offset, uint32_t len)
{
    int32_t status = check_access(flash, area, offset, len, flash->geometry.sector_size);
    if (status != OTAU_FLASH_OK) return status;
    memset(flash->cells + flash->area_base[area] + offset, flash->geometry.erased_value, len);
    return write_through(flash, flash->area_base[area] + offset, len) ? OTAU_FLASH_OK
                                                                        : OTAU_FLASH_DEVICE_ERROR;
}
