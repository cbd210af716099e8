/*
 * boot-decide: runs the bootloader's boot decision over a flash image file and prints one
 * line, e.g. "slot=B rule=trial-boot trial-failed=no record=written sequence=7".
 * With --apply it also writes the record update into the file, as the bootloader would.
 *
 *   boot-decide [--apply] <image> <record area> <slot A area> <slot B area>
 *   area = offset:size:sector:align:erased   (decimal or 0x-hex; erased 0xff or 0x00)
 *
 * Exit status: 0 decided (also "slot=none"), 1 bad arguments or image, 2 flash/geometry error.
 * The file-backed flash is strict like NOR: aligned writes onto erased bytes only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_decision.h"
#include "boot_status.h"

static const char *const area_names[BOOT_AREA_COUNT] = { "record area", "slot A area", "slot B area" };

struct file_flash {
    FILE *file;
    uint32_t offset[BOOT_AREA_COUNT];
    const struct boot_flash *flash;
};

static int fail(int code, const char *what, const char *detail)
{
    fprintf(stderr, "boot-decide: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return code;
}

static int check_range(const struct file_flash *f, int area, uint32_t offset, uint32_t len)
{
    if (area < 0 || area >= BOOT_AREA_COUNT) return -1;
    if ((uint64_t)offset + len > f->flash->areas[area].size) return -2;
    return 0;
}

static int seek(const struct file_flash *f, int area, uint32_t offset)
{
    return fseek(f->file, (long)f->offset[area] + (long)offset, SEEK_SET) == 0 ? 0 : -5;
}

static int file_read(void *context, int area, uint32_t offset, void *dst, uint32_t len)
{
    struct file_flash *f = context;
    int status = check_range(f, area, offset, len);
    if (status != 0) return status;
    if (seek(f, area, offset) != 0 || fread(dst, 1, len, f->file) != len) return -5;
    return 0;
}

static int file_write(void *context, int area, uint32_t offset, const void *src, uint32_t len)
{
    struct file_flash *f = context;
    uint8_t current[256];
    int status = check_range(f, area, offset, len);
    if (status != 0) return status;
    const struct boot_area_geometry *g = &f->flash->areas[area];
    if (offset % g->write_align != 0 || len % g->write_align != 0) return -3;
    for (uint32_t at = 0; at < len; at += sizeof current) {
        uint32_t n = len - at < sizeof current ? len - at : (uint32_t)sizeof current;
        if (file_read(f, area, offset + at, current, n) != 0) return -5;
        for (uint32_t i = 0; i < n; i++) {
            if (current[i] != (uint8_t)g->erased_value) return -4;
        }
    }
    if (seek(f, area, offset) != 0 || fwrite(src, 1, len, f->file) != len) return -5;
    return fflush(f->file) == 0 ? 0 : -5;
}

static int file_erase(void *context, int area, uint32_t offset, uint32_t len)
{
    struct file_flash *f = context;
    uint8_t erased[256];
    int status = check_range(f, area, offset, len);
    if (status != 0) return status;
    const struct boot_area_geometry *g = &f->flash->areas[area];
    if (offset % g->sector_size != 0 || len % g->sector_size != 0) return -3;
    memset(erased, (int)g->erased_value, sizeof erased);
    if (seek(f, area, offset) != 0) return -5;
    for (uint32_t at = 0; at < len; at += sizeof erased) {
        uint32_t n = len - at < sizeof erased ? len - at : (uint32_t)sizeof erased;
        if (fwrite(erased, 1, n, f->file) != n) return -5;
    }
    return fflush(f->file) == 0 ? 0 : -5;
}

static int parse_number(const char **text, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(*text, &end, 0);
    if (end == *text || errno != 0 || value > 0xffffffffull || **text == '-') return -1;
    *out = (uint32_t)value;
    *text = end;
    return 0;
}

/* offset:size:sector:align:erased */
static int parse_area(const char *text, uint32_t *offset, struct boot_area_geometry *g)
{
    uint32_t *fields[5] = { offset, &g->size, &g->sector_size, &g->write_align, &g->erased_value };
    for (int i = 0; i < 5; i++) {
        if (parse_number(&text, fields[i]) != 0) return -1;
        if (*text != (i == 4 ? '\0' : ':')) return -1;
        if (i < 4) text++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int arg = 1;
    int apply = 0;
    if (arg < argc && strcmp(argv[arg], "--apply") == 0) {
        apply = 1;
        arg++;
    }
    if (argc - arg != 4) {
        return fail(1, "usage: boot-decide [--apply] <image> <record area> <slot A area> <slot B area>"
                       " (area = offset:size:sector:align:erased)", NULL);
    }
    struct boot_flash flash = { 0 };
    struct file_flash file = { 0 };
    for (int area = 0; area < BOOT_AREA_COUNT; area++) {
        if (parse_area(argv[arg + 1 + area], &file.offset[area], &flash.areas[area]) != 0) {
            return fail(1, area_names[area], "expected offset:size:sector:align:erased");
        }
    }
    file.file = fopen(argv[arg], apply ? "r+b" : "rb");
    if (file.file == NULL) return fail(1, argv[arg], strerror(errno));
    if (fseek(file.file, 0, SEEK_END) != 0) return fail(1, argv[arg], "cannot seek");
    long file_size = ftell(file.file);
    for (int area = 0; area < BOOT_AREA_COUNT; area++) {
        if ((uint64_t)file.offset[area] + flash.areas[area].size > (uint64_t)file_size) {
            return fail(1, area_names[area], "runs past the end of the image file");
        }
        for (int other = 0; other < area; other++) {
            uint64_t a0 = file.offset[area], a1 = a0 + flash.areas[area].size;
            uint64_t b0 = file.offset[other], b1 = b0 + flash.areas[other].size;
            if (a0 < b1 && b0 < a1) return fail(1, area_names[area], "overlaps another area");
        }
    }
    file.flash = &flash;
    flash.context = &file;
    flash.read = file_read;
    flash.write = file_write;
    flash.erase = file_erase;

    static struct boot_decision decision;
    int status = boot_decide(&flash, &decision);
    if (status != BOOT_OK) return fail(2, "decision failed", boot_status_name(status));
    const char *record = decision.writes_record ? "pending" : "unchanged";
    if (apply && decision.writes_record) {
        status = boot_decision_apply(&flash, &decision);
        if (status != BOOT_OK) return fail(2, "record update failed", boot_status_name(status));
        record = "written";
    }
    static const char *const slot_names[] = { "none", "A", "B" };
    printf("slot=%s rule=%s trial-failed=%s record=%s", slot_names[decision.slot], boot_rule_name(decision.rule),
           decision.trial_failed ? "yes" : "no", record);
    if (decision.writes_record && apply) printf(" sequence=%u", (unsigned)decision.record.sequence);
    printf("\n");
    fclose(file.file);
    return 0;
}
