/*
 * boot-decide: runs the bootloader's boot decision over a flash image and prints one line,
 * e.g. "slot=B rule=trial-boot trial-failed=no record=written sequence=7".
 *
 *   boot-decide [--apply] <image> <record area> <slot A area> <slot B area>
 *   boot-decide --batch [--checks] <record area> <slot A area> <slot B area>
 *   area = offset:size:sector:align:erased   (decimal or 0x-hex; erased 0xff or 0x00)
 *
 * --apply also writes the record update into the file, as the bootloader would.
 * --batch reads images back to back from stdin, each as long as the areas' furthest end,
 * decides and applies each one in memory, and prints one line per image: the --apply line
 * plus " flash=<SHA-256 of the whole image afterwards>", or "error=<status>" when the
 * decision failed. It lets a test compare thousands of flash states in one process.
 * --batch --checks decides with an image check (the check_image hook) answered by an oracle
 * the agent's side can compute too: the first byte of the state's SHA-256, taken before the
 * decision. Its bit s-1 refuses slot s (refusal code 20 + s); otherwise its bit s+1 says the
 * check verified slot s against the image's own hash (the record's digest is then not compared).
 *
 * Exit status: 0 decided (also "slot=none"), 1 bad arguments or image, 2 flash/geometry error
 * (single image only). The in-memory flash is strict like NOR: aligned writes onto erased
 * bytes only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_decision.h"
#include "boot_sha256.h"
#include "boot_status.h"

static const char *const area_names[BOOT_AREA_COUNT] = { "record area", "slot A area", "slot B area" };
struct memory_flash {
    uint8_t *image;
    uint32_t offset[BOOT_AREA_COUNT];
    const struct boot_flash *flash;
};

static int fail(int code, const char *what, const char *detail)
{
    fprintf(stderr, "boot-decide: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return code;
}

static int check_range(const struct memory_flash *m, int area, uint32_t offset, uint32_t len)
{
    if (area < 0 || area >= BOOT_AREA_COUNT) return -1;
    if ((uint64_t)offset + len > m->flash->areas[area].size) return -2;
    return 0;
}

static int memory_read(void *context, int area, uint32_t offset, void *dst, uint32_t len)
{
    struct memory_flash *m = context;
    int status = check_range(m, area, offset, len);
    if (status != 0) return status;
    memcpy(dst, m->image + m->offset[area] + offset, len);
    return 0;
}

static int memory_write(void *context, int area, uint32_t offset, const void *src, uint32_t len)
{
    struct memory_flash *m = context;
    int status = check_range(m, area, offset, len);
    if (status != 0) return status;
    const struct boot_area_geometry *g = &m->flash->areas[area];
    if (offset % g->write_align != 0 || len % g->write_align != 0) return -3;
    uint8_t *at = m->image + m->offset[area] + offset;
    for (uint32_t i = 0; i < len; i++) {
        if (at[i] != (uint8_t)g->erased_value) return -4;
    }
    memcpy(at, src, len);
    return 0;
}

static int memory_erase(void *context, int area, uint32_t offset, uint32_t len)
{
    struct memory_flash *m = context;
    int status = check_range(m, area, offset, len);
    if (status != 0) return status;
    const struct boot_area_geometry *g = &m->flash->areas[area];
    if (offset % g->sector_size != 0 || len % g->sector_size != 0) return -3;
    memset(m->image + m->offset[area] + offset, (int)g->erased_value, len);
    return 0;
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

/* Parses the three areas and checks they do not overlap; *extent = their furthest end. */
static int parse_areas(char **args, struct boot_flash *flash, struct memory_flash *m, uint64_t *extent)
{
    *extent = 0;
    for (int area = 0; area < BOOT_AREA_COUNT; area++) {
        if (parse_area(args[area], &m->offset[area], &flash->areas[area]) != 0) {
            return fail(1, area_names[area], "expected offset:size:sector:align:erased");
        }
        uint64_t a0 = m->offset[area], a1 = a0 + flash->areas[area].size;
        for (int other = 0; other < area; other++) {
            uint64_t b0 = m->offset[other], b1 = b0 + flash->areas[other].size;
            if (a0 < b1 && b0 < a1) return fail(1, area_names[area], "overlaps another area");
        }
        if (a1 > *extent) *extent = a1;
    }
    m->flash = flash;
    flash->context = m;
    flash->read = memory_read;
    flash->write = memory_write;
    flash->erase = memory_erase;
    return 0;
}

/* Decides (and applies when asked) over the in-memory image and prints the line without its
 * newline. On failure prints nothing, returns the status and names the failed step. */
static int decide(const struct boot_flash *flash, int apply, const char **failed_step)
{
    static struct boot_decision decision;
    int status = boot_decide(flash, &decision);
    if (status != BOOT_OK) return *failed_step = "decision failed", status;
    const char *record = decision.writes_record ? "pending" : "unchanged";
    if (apply && decision.writes_record) {
        status = boot_decision_apply(flash, &decision);
        if (status != BOOT_OK) return *failed_step = "record update failed", status;
        record = "written";
    }
    printf("slot=%s rule=%s trial-failed=%s record=%s", boot_slot_name(decision.slot), boot_rule_name(decision.rule),
           decision.trial_failed ? "yes" : "no", record);
    if (decision.writes_record && apply) printf(" sequence=%u", (unsigned)decision.record.sequence);
    if (decision.refused_slot != BOOT_NO_SLOT) printf(" refused=%s:%d", boot_slot_name(decision.refused_slot), decision.refusal);
    return BOOT_OK;
}

/* The whole file in memory (*size bytes), or NULL after reporting why. */
static uint8_t *read_file(FILE *file, const char *path, long *size)
{
    *size = fseek(file, 0, SEEK_END) == 0 ? ftell(file) : -1;
    if (*size < 0 || fseek(file, 0, SEEK_SET) != 0) return fail(1, path, "cannot seek"), NULL;
    uint8_t *bytes = malloc((size_t)*size + 1);
    if (bytes == NULL) return fail(1, path, "out of memory"), NULL;
    if (fread(bytes, 1, (size_t)*size, file) != (size_t)*size) return free(bytes), fail(1, path, "cannot read"), NULL;
    return bytes;
}

static int decide_file(int apply, const char *path, char **area_args)
{
    struct boot_flash flash = { 0 };
    struct memory_flash m = { 0 };
    uint64_t extent;
    if (parse_areas(area_args, &flash, &m, &extent) != 0) return 1;
    FILE *file = fopen(path, apply ? "r+b" : "rb");
    if (file == NULL) return fail(1, path, strerror(errno));
    long size;
    m.image = read_file(file, path, &size);
    int code = m.image == NULL ? 1 : 0;
    for (int area = 0; code == 0 && area < BOOT_AREA_COUNT; area++) {
        if ((uint64_t)m.offset[area] + flash.areas[area].size > (uint64_t)size) {
            code = fail(1, area_names[area], "runs past the end of the image file");
        }
    }
    const char *failed_step = NULL;
    int status = code == 0 ? decide(&flash, apply, &failed_step) : BOOT_OK;
    if (status != BOOT_OK) {
        code = fail(2, failed_step, boot_status_name(status));
    } else if (code == 0) {
        printf("\n");
        if (apply && (fseek(file, 0, SEEK_SET) != 0 || fwrite(m.image, 1, (size_t)size, file) != (size_t)size)) {
            code = fail(1, path, "cannot write");
        }
    }
    free(m.image);
    if (fclose(file) != 0 && code == 0) code = fail(1, path, "cannot write");
    return code;
}

static void image_digest(const uint8_t *image, uint64_t extent, uint8_t digest[BOOT_SHA256_DIGEST_SIZE])
{
    struct boot_sha256 sha;
    boot_sha256_init(&sha);
    boot_sha256_update(&sha, image, (size_t)extent);
    boot_sha256_final(&sha, digest);
}

#define ORACLE_REFUSAL_BASE 20

/* The --checks oracle (see the header): `context` points at the state's oracle byte. */
static int oracle_check(void *context, int slot, uint32_t size, int *checked)
{
    (void)size;
    unsigned bits = *(const uint8_t *)context;
    if (bits & (1u << (slot - 1))) return ORACLE_REFUSAL_BASE + slot;
    *checked = (int)((bits >> (slot + 1)) & 1u);
    return 0;
}

static int decide_batch(char **area_args, int checks)
{
    struct boot_flash flash = { 0 };
    struct memory_flash m = { 0 };
    uint64_t extent;
    uint8_t oracle = 0;
    if (parse_areas(area_args, &flash, &m, &extent) != 0) return 1;
    if (checks) {
        flash.check_image = oracle_check;
        flash.check_context = &oracle;
    }
    m.image = malloc((size_t)extent);
    if (m.image == NULL) return fail(1, "batch", "out of memory");
    int code = 0;
    for (;;) {
        size_t got = fread(m.image, 1, (size_t)extent, stdin);
        if (got == 0 && feof(stdin)) break;
        if (got != (size_t)extent) {
            code = fail(1, "batch", "stdin ended inside an image");
            break;
        }
        uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
        image_digest(m.image, extent, digest);
        oracle = digest[0];
        const char *failed_step = NULL;
        int status = decide(&flash, 1, &failed_step);
        if (status != BOOT_OK) {
            printf("error=%s", boot_status_name(status));
        } else {
            image_digest(m.image, extent, digest);
            printf(" flash=");
            for (int i = 0; i < BOOT_SHA256_DIGEST_SIZE; i++) printf("%02x", digest[i]);
        }
        printf("\n");
    }
    free(m.image);
    return code;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--batch") == 0) return decide_batch(argv + 2, 0);
    if (argc == 6 && strcmp(argv[1], "--batch") == 0 && strcmp(argv[2], "--checks") == 0) return decide_batch(argv + 3, 1);
    int arg = 1;
    int apply = 0;
    if (arg < argc && strcmp(argv[arg], "--apply") == 0) {
        apply = 1;
        arg++;
    }
    if (argc - arg != 4) {
        return fail(1, "usage: boot-decide [--apply] <image> <record area> <slot A area> <slot B area>"
                       " | --batch [--checks] <record area> <slot A area> <slot B area>"
                       " (area = offset:size:sector:align:erased)", NULL);
    }
    return decide_file(apply, argv[arg], argv + arg + 1);
}
