/*
 * Tests of the bootloader's boot decision over an in-memory strict NOR flash: SHA-256 and
 * CRC-32 vectors, geometry checks, the record's copies (sequence order and wrap, CRC
 * damage, torn commit marker) and every row of the decision table, over several
 * geometries (write alignment 1/8/32, erased 0xFF/0x00, small and 4 KiB sectors), and what an
 * image check (the secure-boot hook) changes in it.
 * Prints one line per failed check and exits non-zero if any failed.
 */
#include <stdio.h>
#include <string.h>

#include "boot_crc32.h"
#include "boot_decision.h"
#include "boot_sha256.h"
#include "boot_status.h"

static int failures;
static int checks;

#define CHECK(cond, what)                                                           \
    do {                                                                            \
        checks++;                                                                   \
        if (!(cond)) {                                                              \
            failures++;                                                             \
            printf("FAIL %s:%d [%s] %s\n", __FILE__, __LINE__, geometry_name, what); \
        }                                                                           \
    } while (0)

static const char *geometry_name = "-";

/* ---- In-memory strict NOR flash */

#define AREA_MAX 16384
static uint8_t cells[BOOT_AREA_COUNT][AREA_MAX];
static int fail_write_countdown = -1; /* the write that fails with -5 (0 = next) */

static int ram_check(const struct boot_flash *f, int area, uint32_t offset, uint32_t len)
{
    if (area < 0 || area >= BOOT_AREA_COUNT) return -1;
    if ((uint64_t)offset + len > f->areas[area].size) return -2;
    return 0;
}

static const struct boot_flash *ram_flash;

static int ram_read(void *context, int area, uint32_t offset, void *dst, uint32_t len)
{
    (void)context;
    int status = ram_check(ram_flash, area, offset, len);
    if (status != 0) return status;
    memcpy(dst, cells[area] + offset, len);
    return 0;
}

static int ram_write(void *context, int area, uint32_t offset, const void *src, uint32_t len)
{
    (void)context;
    int status = ram_check(ram_flash, area, offset, len);
    if (status != 0) return status;
    const struct boot_area_geometry *g = &ram_flash->areas[area];
    if (offset % g->write_align || len % g->write_align) return -3;
    for (uint32_t i = 0; i < len; i++) {
        if (cells[area][offset + i] != (uint8_t)g->erased_value) return -4;
    }
    if (fail_write_countdown == 0) {
        fail_write_countdown = -1;
        return -5;
    }
    if (fail_write_countdown > 0) fail_write_countdown--;
    memcpy(cells[area] + offset, src, len);
    return 0;
}

static int ram_erase(void *context, int area, uint32_t offset, uint32_t len)
{
    (void)context;
    int status = ram_check(ram_flash, area, offset, len);
    if (status != 0) return status;
    const struct boot_area_geometry *g = &ram_flash->areas[area];
    if (offset % g->sector_size || len % g->sector_size) return -3;
    memset(cells[area] + offset, (int)g->erased_value, len);
    return 0;
}

static struct boot_flash make_flash(uint32_t record_size, uint32_t record_sector, uint32_t slot_size,
                                    uint32_t slot_sector, uint32_t align, uint32_t erased)
{
    struct boot_flash f = {
        .context = NULL,
        .areas = {
            { record_size, record_sector, align, erased },
            { slot_size, slot_sector, align, erased },
            { slot_size, slot_sector, align, erased },
        },
        .read = ram_read, .write = ram_write, .erase = ram_erase,
    };
    for (int area = 0; area < BOOT_AREA_COUNT; area++) memset(cells[area], (int)erased, AREA_MAX);
    fail_write_countdown = -1;
    return f;
}

/* ---- Building flash states */

/* Field offsets from docs/boot-record.md, used to set what the bootloader never writes. */
#define DOC_SLOTS 16
#define DOC_ENTRY_SIZE 104
#define DOC_ENTRY_IMAGE_SIZE 4
#define DOC_ENTRY_DIGEST 8

static void put_image(int slot, uint32_t size, uint8_t seed)
{
    for (uint32_t i = 0; i < size; i++) cells[slot][i] = (uint8_t)(seed + i * 7u);
}

static void record_image(struct boot_record *record, int slot, enum boot_slot_state state, uint32_t size)
{
    uint8_t *entry = record->bytes + DOC_SLOTS + (slot - 1) * DOC_ENTRY_SIZE;
    struct boot_sha256 hash;
    boot_sha256_init(&hash);
    boot_sha256_update(&hash, cells[slot], size);
    boot_sha256_final(&hash, entry + DOC_ENTRY_DIGEST);
    for (int i = 0; i < 4; i++) entry[DOC_ENTRY_IMAGE_SIZE + i] = (uint8_t)(size >> (8 * i));
    boot_record_set_slot_state(record, slot, state);
}

/* Slot A confirmed (image in flash), slot B on trial with `attempts`, stored once. */
static void setup_trial(const struct boot_flash *f, int attempts)
{
    struct boot_record record;
    int status = boot_record_load(f, &record);
    CHECK(status == BOOT_NO_RECORD, "fresh area 0 has no record");
    put_image(BOOT_AREA_SLOT_A, 1000, 1);
    put_image(BOOT_AREA_SLOT_B, 1500, 2);
    record_image(&record, BOOT_AREA_SLOT_A, BOOT_SLOT_CONFIRMED, 1000);
    record_image(&record, BOOT_AREA_SLOT_B, BOOT_SLOT_TRIAL, 1500);
    boot_record_set_active(&record, BOOT_AREA_SLOT_A);
    boot_record_set_trial(&record, BOOT_AREA_SLOT_B, attempts, false);
    CHECK(boot_record_store(f, &record) == BOOT_OK, "store the trial record");
}

static int decide_and_apply(const struct boot_flash *f, struct boot_decision *d)
{
    int status = boot_decide(f, d);
    if (status != BOOT_OK) return status;
    return boot_decision_apply(f, d);
}

/* ---- Tests */

static void hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_vectors(void)
{
    static const struct { const char *message; const char *digest; } vectors[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    };
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        struct boot_sha256 hash;
        uint8_t digest[32];
        char text[65];
        boot_sha256_init(&hash);
        for (const char *c = vectors[v].message; *c; c++) boot_sha256_update(&hash, c, 1);
        boot_sha256_final(&hash, digest);
        hex(digest, 32, text);
        CHECK(strcmp(text, vectors[v].digest) == 0, "SHA-256 matches the FIPS 180-2 vector");
    }
    CHECK(boot_crc32("123456789", 9) == 0xcbf43926u, "CRC-32 check value of \"123456789\"");
}

static void test_geometry_checks(void)
{
    struct boot_flash f = make_flash(4096, 1024, 4096, 1024, 4, 0xff);
    ram_flash = &f;
    struct boot_decision d;
    CHECK(boot_decide(&f, &d) == BOOT_OK, "a sane geometry is accepted");
    f.areas[1].write_align = 3;
    CHECK(boot_decide(&f, &d) == BOOT_WRITE_ALIGNMENT_INVALID, "alignment 3 is refused");
    f.areas[1].write_align = 64;
    CHECK(boot_decide(&f, &d) == BOOT_WRITE_ALIGNMENT_INVALID, "alignment 64 is refused");
    f.areas[1].write_align = 4;
    f.areas[2].sector_size = 1026;
    CHECK(boot_decide(&f, &d) == BOOT_SECTOR_SIZE_INVALID, "a sector that is not a multiple of the alignment is refused");
    f.areas[2].sector_size = 1024;
    f.areas[2].size = 4000;
    CHECK(boot_decide(&f, &d) == BOOT_AREA_SIZE_INVALID, "an area that is not whole sectors is refused");
    f.areas[2].size = 4096;
    f.areas[0].erased_value = 0x7f;
    CHECK(boot_decide(&f, &d) == BOOT_ERASED_VALUE_INVALID, "erased value 0x7F is refused");
    f.areas[0].erased_value = 0xff;
    f.areas[0].size = 3072;
    CHECK(boot_decide(&f, &d) == BOOT_AREA_TOO_SMALL, "three sectors cannot hold two copies and two journal pages");
}

struct geometry {
    const char *name;
    uint32_t record_size, record_sector, slot_size, slot_sector, align, erased;
};

static const struct geometry geometries[] = {
    { "align1-sector256-ff", 2048, 256, 4096, 256, 1, 0xff },
    { "align8-sector4096-00", 16384, 4096, 8192, 4096, 8, 0x00 },
    { "align32-sector128-ff", 1024, 128, 4096, 128, 32, 0xff },
    { "align16-sector512-00", 4096, 512, 2048, 512, 16, 0x00 },
};

static void test_copies(const struct boot_flash *f)
{
    struct boot_record record;
    CHECK(boot_record_load(f, &record) == BOOT_NO_RECORD, "erased area 0 holds no record");
    CHECK(boot_record_active(&record) == BOOT_AREA_SLOT_A, "the default record has slot A active");
    for (uint32_t n = 1; n <= 3; n++) {
        boot_record_set_trial(&record, BOOT_NO_SLOT, (int)n, false);
        CHECK(boot_record_store(f, &record) == BOOT_OK, "store succeeds");
        struct boot_record read;
        CHECK(boot_record_load(f, &read) == BOOT_OK, "the stored record loads");
        CHECK(read.sequence == n, "sequence counts 1, 2, 3");
        CHECK(read.copy == (int)((n - 1) % 2), "copies alternate 0, 1, 0");
        CHECK(boot_record_attempts(&read) == (int)n, "the newest content is read");
    }

    /* Damage the newest copy (0): copy 1 (sequence 2) wins. */
    uint32_t span = boot_record_copy_span(f);
    uint8_t saved = cells[0][20];
    cells[0][20] ^= 0x01;
    CHECK(boot_record_load(f, &record) == BOOT_OK && record.sequence == 2, "a CRC-damaged newest copy loses to the older one");
    cells[0][20] = saved;

    /* Torn commit marker: its last byte never programmed. */
    uint32_t payload = (BOOT_RECORD_BYTES + f->areas[0].write_align - 1) & ~(f->areas[0].write_align - 1);
    saved = cells[0][payload + 7];
    cells[0][payload + 7] = (uint8_t)f->areas[0].erased_value;
    CHECK(boot_record_load(f, &record) == BOOT_OK && record.sequence == 2, "a torn commit marker reads as no write");
    /* Marker missing entirely (power lost after the payload). */
    memset(cells[0] + payload, (int)f->areas[0].erased_value, 8);
    CHECK(boot_record_load(f, &record) == BOOT_OK && record.sequence == 2, "a payload without marker reads as no write");
    cells[0][payload + 7] = saved;

    /* Sequence wrap: 0xFFFFFFFF then 0; the one numbered 0 is newer. */
    record.copy = 1;
    record.sequence = 0xfffffffeu;
    CHECK(boot_record_store(f, &record) == BOOT_OK && record.sequence == 0xffffffffu, "store sequence 0xFFFFFFFF");
    CHECK(boot_record_store(f, &record) == BOOT_OK && record.sequence == 0, "the next sequence wraps to 0");
    struct boot_record read;
    CHECK(boot_record_load(f, &read) == BOOT_OK && read.sequence == 0 && read.copy == 1, "sequence 0 is newer than 0xFFFFFFFF");
    (void)span;
}

static void test_rows(const struct geometry *g)
{
    struct boot_flash f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    ram_flash = &f;
    struct boot_decision d;
    struct boot_record record;

    test_copies(&f);

    /* no-record */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    CHECK(boot_decide(&f, &d) == BOOT_OK, "decide on blank flash");
    CHECK(d.slot == BOOT_AREA_SLOT_A && d.rule == BOOT_RULE_NO_RECORD && !d.writes_record, "no record: factory slot A, nothing written");

    /* trial-boot, twice, then the attempts are exhausted: fall back to A. */
    setup_trial(&f, 2);
    for (int boot = 1; boot <= 2; boot++) {
        CHECK(decide_and_apply(&f, &d) == BOOT_OK, "decide and apply");
        CHECK(d.slot == BOOT_AREA_SLOT_B && d.rule == BOOT_RULE_TRIAL_BOOT && d.writes_record, "trial-boot boots B");
        CHECK(boot_record_load(&f, &record) == BOOT_OK, "load after trial boot");
        CHECK(boot_record_attempts(&record) == 2 - boot && boot_record_trial_booted(&record), "attempts decremented, booted set");
    }
    CHECK(decide_and_apply(&f, &d) == BOOT_OK, "decide after the last attempt");
    CHECK(d.slot == BOOT_AREA_SLOT_A && d.rule == BOOT_RULE_ACTIVE && d.trial_failed, "exhausted trial falls back to active A");
    CHECK(boot_record_load(&f, &record) == BOOT_OK, "load after fallback");
    CHECK(boot_record_trial(&record) == BOOT_NO_SLOT && boot_record_slot_state(&record, BOOT_AREA_SLOT_B) == BOOT_SLOT_FAILED,
          "the trial slot is marked Failed and the trial cleared");
    CHECK(boot_record_slot_failure_cause(&record, BOOT_AREA_SLOT_B) == BOOT_FAILURE_NOT_CONFIRMED &&
          boot_record_slot_image_problem(&record, BOOT_AREA_SLOT_B) == 0, "an exhausted trial is recorded as not confirmed in time");
    CHECK(decide_and_apply(&f, &d) == BOOT_OK && d.rule == BOOT_RULE_ACTIVE && !d.writes_record, "a normal boot writes nothing");

    /* A trial image that does not match its digest is never booted. */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    setup_trial(&f, 3);
    cells[BOOT_AREA_SLOT_B][1499] ^= 0x40;
    CHECK(decide_and_apply(&f, &d) == BOOT_OK, "decide with a corrupt trial image");
    CHECK(d.slot == BOOT_AREA_SLOT_A && d.trial_failed && d.rule == BOOT_RULE_ACTIVE, "corrupt trial image: fall back to A");

    /* trial slot whose state is not Trial */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    setup_trial(&f, 3);
    CHECK(boot_record_load(&f, &record) == BOOT_OK, "load");
    boot_record_set_slot_state(&record, BOOT_AREA_SLOT_B, BOOT_SLOT_EMPTY);
    CHECK(boot_record_store(&f, &record) == BOOT_OK, "store");
    CHECK(boot_decide(&f, &d) == BOOT_OK && d.trial_failed && d.slot == BOOT_AREA_SLOT_A, "trial slot not in Trial state: fall back");

    /* other-confirmed: active A corrupt, B confirmed */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    setup_trial(&f, 1);
    CHECK(boot_record_load(&f, &record) == BOOT_OK, "load");
    boot_record_set_slot_state(&record, BOOT_AREA_SLOT_B, BOOT_SLOT_CONFIRMED);
    boot_record_set_trial(&record, BOOT_NO_SLOT, 0, false);
    CHECK(boot_record_store(&f, &record) == BOOT_OK, "store");
    cells[BOOT_AREA_SLOT_A][0] ^= 0xff;
    CHECK(decide_and_apply(&f, &d) == BOOT_OK, "decide with a corrupt active image");
    CHECK(d.slot == BOOT_AREA_SLOT_B && d.rule == BOOT_RULE_OTHER_CONFIRMED && d.writes_record, "other-confirmed boots B");
    CHECK(boot_record_load(&f, &record) == BOOT_OK && boot_record_active(&record) == BOOT_AREA_SLOT_B &&
          boot_record_slot_state(&record, BOOT_AREA_SLOT_A) == BOOT_SLOT_FAILED, "B becomes active, A is marked Failed");

    /* nothing-bootable: both images corrupt */
    cells[BOOT_AREA_SLOT_B][3] ^= 0x10;
    CHECK(boot_decide(&f, &d) == BOOT_OK && d.slot == BOOT_NO_SLOT && d.rule == BOOT_RULE_NOTHING_BOOTABLE && !d.writes_record,
          "nothing matches its digest: boot nothing, write nothing");

    /* A record write the flash refuses is reported, and the old record stands. */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    setup_trial(&f, 2);
    fail_write_countdown = 1; /* payload succeeds, commit marker fails */
    CHECK(decide_and_apply(&f, &d) == BOOT_FLASH_DEVICE_ERROR, "a failed marker write is reported");
    CHECK(boot_record_load(&f, &record) == BOOT_OK && boot_record_attempts(&record) == 2 && !boot_record_trial_booted(&record),
          "the record without its marker is ignored");
}

/* ---- The image-check hook (struct boot_flash check_image), with a fake check */

static int refuse_slot;      /* the slot the fake check refuses (BOOT_NO_SLOT: none) */
static int accept_checked;   /* what it says an accepted image was checked against */
static int check_calls;

static int fake_check(void *context, int slot, uint32_t size, int *checked)
{
    (void)context;
    (void)size;
    check_calls++;
    *checked = accept_checked;
    return slot == refuse_slot ? 21 : 0;
}

static void test_image_check_hook(const struct geometry *g)
{
    struct boot_decision d;
    struct boot_record record;
    struct boot_flash f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    ram_flash = &f;
    f.check_image = fake_check;

    /* A trial image the check refuses is never booted: a failed trial, recorded, and the refusal kept. */
    setup_trial(&f, 3);
    refuse_slot = BOOT_AREA_SLOT_B;
    accept_checked = 2;
    CHECK(decide_and_apply(&f, &d) == BOOT_OK, "decide with a refused trial image");
    CHECK(d.slot == BOOT_AREA_SLOT_A && d.rule == BOOT_RULE_ACTIVE && d.trial_failed, "refused trial: fall back to active A");
    CHECK(d.refused_slot == BOOT_AREA_SLOT_B && d.refusal == 21 && d.checked == 2, "the refusal and the booted slot's check are reported");
    CHECK(boot_record_load(&f, &record) == BOOT_OK && boot_record_slot_state(&record, BOOT_AREA_SLOT_B) == BOOT_SLOT_FAILED &&
          boot_record_trial(&record) == BOOT_NO_SLOT, "the refused trial slot is marked Failed");
    CHECK(boot_record_slot_failure_cause(&record, BOOT_AREA_SLOT_B) == BOOT_FAILURE_REFUSED &&
          boot_record_slot_image_problem(&record, BOOT_AREA_SLOT_B) == 21, "the record keeps why: refused by the check, code 21");
    CHECK(boot_record_slot_failure_cause(&record, BOOT_AREA_SLOT_A) == BOOT_FAILURE_NOT_CONFIRMED &&
          boot_record_slot_image_problem(&record, BOOT_AREA_SLOT_A) == 0, "the active slot's entry carries no failure");
    /* Power cut during the write that records the refusal: the old record (trial pending, no cause) stands. */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    f.check_image = fake_check;
    setup_trial(&f, 3);
    fail_write_countdown = 1; /* payload programmed, commit marker lost */
    CHECK(decide_and_apply(&f, &d) == BOOT_FLASH_DEVICE_ERROR, "the refusal's record write fails at its marker");
    CHECK(boot_record_load(&f, &record) == BOOT_OK && boot_record_trial(&record) == BOOT_AREA_SLOT_B &&
          boot_record_slot_state(&record, BOOT_AREA_SLOT_B) == BOOT_SLOT_TRIAL &&
          boot_record_slot_failure_cause(&record, BOOT_AREA_SLOT_B) == BOOT_FAILURE_NOT_CONFIRMED,
          "a torn refusal write leaves the trial pending and no cause: the next boot refuses it again");
    CHECK(decide_and_apply(&f, &d) == BOOT_OK && boot_record_load(&f, &record) == BOOT_OK &&
          boot_record_slot_failure_cause(&record, BOOT_AREA_SLOT_B) == BOOT_FAILURE_REFUSED, "the next boot records the refusal");

    /* The confirmed slot is checked at every boot: refused, the other confirmed one takes over. */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    f.check_image = fake_check;
    setup_trial(&f, 1);
    CHECK(boot_record_load(&f, &record) == BOOT_OK, "load");
    boot_record_set_slot_state(&record, BOOT_AREA_SLOT_B, BOOT_SLOT_CONFIRMED);
    boot_record_set_trial(&record, BOOT_NO_SLOT, 0, false);
    CHECK(boot_record_store(&f, &record) == BOOT_OK, "store");
    refuse_slot = BOOT_AREA_SLOT_A;
    CHECK(decide_and_apply(&f, &d) == BOOT_OK && d.slot == BOOT_AREA_SLOT_B && d.rule == BOOT_RULE_OTHER_CONFIRMED &&
          d.refused_slot == BOOT_AREA_SLOT_A, "refused active A: confirmed B boots, A is refused");
    CHECK(boot_record_load(&f, &record) == BOOT_OK && boot_record_slot_state(&record, BOOT_AREA_SLOT_A) == BOOT_SLOT_FAILED &&
          boot_record_slot_failure_cause(&record, BOOT_AREA_SLOT_A) == BOOT_FAILURE_REFUSED &&
          boot_record_slot_image_problem(&record, BOOT_AREA_SLOT_A) == 21, "the refused active slot is Failed with its refusal");

    /* An image the check verified against its own hash needs no record digest; one it did not cover does. */
    refuse_slot = BOOT_NO_SLOT;
    cells[BOOT_AREA_SLOT_B][7] ^= 0x01;
    accept_checked = 1;
    CHECK(boot_decide(&f, &d) == BOOT_OK && d.slot == BOOT_AREA_SLOT_B && d.rule == BOOT_RULE_ACTIVE,
          "checked against its own hash: the record's digest is not read again");
    accept_checked = 0;
    CHECK(boot_decide(&f, &d) == BOOT_OK && d.slot == BOOT_NO_SLOT && d.refused_slot == BOOT_NO_SLOT,
          "not covered by the check: the record's digest decides (and B no longer matches it)");

    /* The factory image is checked too: refused, nothing boots and nothing is written. */
    f = make_flash(g->record_size, g->record_sector, g->slot_size, g->slot_sector, g->align, g->erased);
    f.check_image = fake_check;
    refuse_slot = BOOT_AREA_SLOT_A;
    check_calls = 0;
    CHECK(boot_decide(&f, &d) == BOOT_OK && d.slot == BOOT_NO_SLOT && d.rule == BOOT_RULE_NOTHING_BOOTABLE && !d.writes_record &&
          d.refused_slot == BOOT_AREA_SLOT_A && check_calls == 1, "no record and slot A refused: nothing bootable");
    refuse_slot = BOOT_NO_SLOT;
    CHECK(boot_decide(&f, &d) == BOOT_OK && d.slot == BOOT_AREA_SLOT_A && d.rule == BOOT_RULE_NO_RECORD, "no record and slot A accepted");
}

int main(void)
{
    test_vectors();
    test_geometry_checks();
    for (size_t i = 0; i < sizeof geometries / sizeof geometries[0]; i++) {
        geometry_name = geometries[i].name;
        test_rows(&geometries[i]);
        test_image_check_hook(&geometries[i]);
    }
    printf("%s: %d checks, %d failed\n", failures ? "FAIL" : "ok", checks, failures);
    return failures ? 1 : 0;
}
