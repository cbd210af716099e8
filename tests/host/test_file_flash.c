/* The file-backed flash refuses what NOR flash refuses (a fake flash as strict as the part it stands for). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "file_flash.h"

#define SECTOR 4096u

static char image_dir[] = "/tmp/otau-flash-test-XXXXXX";

static struct file_flash_geometry small_geometry(uint8_t erased, uint32_t write_align, bool and_writes)
{
    struct file_flash_geometry geometry = {
        .area_size = {2 * SECTOR, 4 * SECTOR, 4 * SECTOR},
        .sector_size = SECTOR,
        .write_align = write_align,
        .erased_value = erased,
        .and_writes = and_writes,
    };
    return geometry;
}

static struct file_flash *open_in_memory(struct file_flash_geometry geometry)
{
    char error[256];
    struct file_flash *flash = file_flash_open(NULL, &geometry, error, sizeof error);
    if (!flash) {
        fprintf(stderr, "test setup: %s\n", error);
        exit(2);
    }
    return flash;
}

static bool all_bytes_are(const uint8_t *bytes, size_t len, uint8_t value)
{
    for (size_t i = 0; i < len; i++)
        if (bytes[i] != value) return false;
    return true;
}

static bool area_is_all(struct file_flash *flash, uint32_t area, uint32_t offset, uint32_t len,
                        uint8_t value)
{
    static uint8_t buffer[4 * SECTOR];
    return file_flash_read(flash, area, offset, buffer, len) == OTAU_FLASH_OK &&
           all_bytes_are(buffer, len, value);
}

static void a_new_flash_is_erased_to_the_configured_value(void)
{
    for (int erased = 0; erased < 2; erased++) {
        uint8_t value = erased ? 0xFF : 0x00;
        struct file_flash *flash = open_in_memory(small_geometry(value, 4, false));
        for (uint32_t area = 0; area < OTAU_AREA_COUNT; area++) {
            struct otau_flash_area_info info;
            CHECK_INT(file_flash_info(flash, area, &info), OTAU_FLASH_OK);
            CHECK(area_is_all(flash, area, 0, info.size, value));
        }
        file_flash_close(flash);
    }
}

static void info_describes_each_area_and_refuses_unknown_areas(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 8, false));
    struct otau_flash_area_info info;
    CHECK_INT(file_flash_info(flash, OTAU_AREA_BOOT_RECORD, &info), OTAU_FLASH_OK);
    CHECK_INT(info.size, 2 * SECTOR);
    CHECK_INT(info.sector_size, SECTOR);
    CHECK_INT(info.write_align, 8);
    CHECK_INT(info.erased_value, 0xFF);
    CHECK_INT(file_flash_info(flash, OTAU_AREA_SLOT_B, &info), OTAU_FLASH_OK);
    CHECK_INT(info.size, 4 * SECTOR);
    CHECK_INT(file_flash_info(flash, OTAU_AREA_COUNT, &info), OTAU_FLASH_NO_SUCH_AREA);
    uint8_t byte = 0;
    CHECK_INT(file_flash_read(flash, 3, 0, &byte, 1), OTAU_FLASH_NO_SUCH_AREA);
    CHECK_INT(file_flash_write(flash, 0xFFFFFFFFu, 0, &byte, 0), OTAU_FLASH_NO_SUCH_AREA);
    CHECK_INT(file_flash_erase(flash, 7, 0, SECTOR), OTAU_FLASH_NO_SUCH_AREA);
    file_flash_close(flash);
}

static void erase_refuses_anything_but_whole_sectors(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 4, false));
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, data, 8), OTAU_FLASH_OK);
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_SLOT_A, 0, SECTOR / 2), OTAU_FLASH_MISALIGNED);
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_SLOT_A, 4, SECTOR), OTAU_FLASH_MISALIGNED);
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_SLOT_A, 0, SECTOR + 1), OTAU_FLASH_MISALIGNED);
    uint8_t back[8];
    CHECK_INT(file_flash_read(flash, OTAU_AREA_SLOT_A, 0, back, 8), OTAU_FLASH_OK);
    CHECK(memcmp(back, data, 8) == 0); /* refused erases changed nothing */
    file_flash_close(flash);
}

static void erasing_a_sector_erases_exactly_that_sector(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 4, false));
    static uint8_t zeros[2 * SECTOR];
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, zeros, 2 * SECTOR), OTAU_FLASH_OK);
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_SLOT_A, SECTOR, SECTOR), OTAU_FLASH_OK);
    CHECK(area_is_all(flash, OTAU_AREA_SLOT_A, 0, SECTOR, 0x00));
    CHECK(area_is_all(flash, OTAU_AREA_SLOT_A, SECTOR, SECTOR, 0xFF));
    file_flash_close(flash);
}

static void write_refuses_a_misaligned_offset_or_length(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 8, false));
    uint8_t data[16] = {0};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 4, data, 8), OTAU_FLASH_MISALIGNED);
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 8, data, 12), OTAU_FLASH_MISALIGNED);
    CHECK(area_is_all(flash, OTAU_AREA_SLOT_A, 0, 32, 0xFF));
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 8, data, 16), OTAU_FLASH_OK);
    file_flash_close(flash);
}

static void write_with_alignment_one_accepts_single_bytes(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 1, false));
    uint8_t byte = 0x42;
    CHECK_INT(file_flash_write(flash, OTAU_AREA_BOOT_RECORD, 3, &byte, 1), OTAU_FLASH_OK);
    uint8_t back = 0;
    CHECK_INT(file_flash_read(flash, OTAU_AREA_BOOT_RECORD, 3, &back, 1), OTAU_FLASH_OK);
    CHECK_INT(back, 0x42);
    file_flash_close(flash);
}

static void strict_write_onto_unerased_bytes_is_refused_and_changes_nothing(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 4, false));
    uint8_t first[4] = {0xF0, 0xF0, 0xF0, 0xF0};
    uint8_t second[8] = {0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_B, 4, first, 4), OTAU_FLASH_OK);
    /* Overlaps the written word and one erased word: nothing at all may be programmed. */
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_B, 0, second, 8), OTAU_FLASH_NOT_ERASED);
    uint8_t back[8];
    CHECK_INT(file_flash_read(flash, OTAU_AREA_SLOT_B, 0, back, 8), OTAU_FLASH_OK);
    CHECK(all_bytes_are(back, 4, 0xFF));
    CHECK(memcmp(back + 4, first, 4) == 0);
    /* Even a write that would not change a bit is refused on programmed bytes. */
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_B, 4, first, 4), OTAU_FLASH_NOT_ERASED);
    file_flash_close(flash);
}

static void strict_write_checks_erasure_against_an_erased_value_of_zero(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0x00, 4, false));
    uint8_t data[4] = {0xFF, 0x00, 0xFF, 0x00};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, data, 4), OTAU_FLASH_OK);
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, data, 4), OTAU_FLASH_NOT_ERASED);
    file_flash_close(flash);
}

static void and_writes_only_clear_bits_when_erased_is_ff(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 4, true));
    uint8_t first[4] = {0xF0, 0x0F, 0xFF, 0x00};
    uint8_t second[4] = {0x3C, 0x3C, 0x3C, 0xFF};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, first, 4), OTAU_FLASH_OK);
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, second, 4), OTAU_FLASH_OK);
    uint8_t back[4];
    CHECK_INT(file_flash_read(flash, OTAU_AREA_SLOT_A, 0, back, 4), OTAU_FLASH_OK);
    uint8_t expected[4] = {0x30, 0x0C, 0x3C, 0x00};
    CHECK(memcmp(back, expected, 4) == 0);
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 2, second, 4), OTAU_FLASH_MISALIGNED);
    file_flash_close(flash);
}

static void and_writes_only_set_bits_when_erased_is_zero(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0x00, 4, true));
    uint8_t first[4] = {0xF0, 0x0F, 0x00, 0x00};
    uint8_t second[4] = {0x3C, 0x3C, 0x3C, 0x00};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, first, 4), OTAU_FLASH_OK);
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 0, second, 4), OTAU_FLASH_OK);
    uint8_t back[4];
    CHECK_INT(file_flash_read(flash, OTAU_AREA_SLOT_A, 0, back, 4), OTAU_FLASH_OK);
    uint8_t expected[4] = {0xFC, 0x3F, 0x3C, 0x00};
    CHECK(memcmp(back, expected, 4) == 0);
    file_flash_close(flash);
}

static void accesses_past_the_end_of_an_area_are_out_of_range(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 4, false));
    uint8_t data[8] = {0};
    uint32_t size = 2 * SECTOR; /* the boot record */
    CHECK_INT(file_flash_read(flash, OTAU_AREA_BOOT_RECORD, size - 4, data, 8), OTAU_FLASH_OUT_OF_RANGE);
    CHECK_INT(file_flash_read(flash, OTAU_AREA_BOOT_RECORD, size, data, 1), OTAU_FLASH_OUT_OF_RANGE);
    CHECK_INT(file_flash_write(flash, OTAU_AREA_BOOT_RECORD, size - 4, data, 8), OTAU_FLASH_OUT_OF_RANGE);
    /* offset + len wraps around 32 bits: still out of range, not a write at offset 4. */
    CHECK_INT(file_flash_write(flash, OTAU_AREA_BOOT_RECORD, 0xFFFFFFFCu, data, 8), OTAU_FLASH_OUT_OF_RANGE);
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_BOOT_RECORD, SECTOR, 2 * SECTOR), OTAU_FLASH_OUT_OF_RANGE);
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_BOOT_RECORD, 0xFFFFF000u, 2 * SECTOR), OTAU_FLASH_OUT_OF_RANGE);
    CHECK(area_is_all(flash, OTAU_AREA_BOOT_RECORD, 0, size, 0xFF));
    CHECK(area_is_all(flash, OTAU_AREA_SLOT_A, 0, 16, 0xFF)); /* the next area is untouched */
    CHECK_INT(file_flash_read(flash, OTAU_AREA_BOOT_RECORD, size - 4, data, 4), OTAU_FLASH_OK);
    file_flash_close(flash);
}

static void reads_need_no_alignment(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 16, false));
    uint8_t data[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 16, data, 16), OTAU_FLASH_OK);
    uint8_t back[3];
    CHECK_INT(file_flash_read(flash, OTAU_AREA_SLOT_A, 16 + 5, back, 3), OTAU_FLASH_OK);
    CHECK_INT(back[0], 5);
    CHECK_INT(back[2], 7);
    file_flash_close(flash);
}

static void areas_are_independent(void)
{
    struct file_flash *flash = open_in_memory(small_geometry(0xFF, 4, false));
    uint8_t data[4] = {1, 2, 3, 4};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_A, 4 * SECTOR - 4, data, 4), OTAU_FLASH_OK);
    CHECK(area_is_all(flash, OTAU_AREA_SLOT_B, 0, 4 * SECTOR, 0xFF));
    CHECK(area_is_all(flash, OTAU_AREA_BOOT_RECORD, 0, 2 * SECTOR, 0xFF));
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_SLOT_B, 0, 4 * SECTOR), OTAU_FLASH_OK);
    uint8_t back[4];
    CHECK_INT(file_flash_read(flash, OTAU_AREA_SLOT_A, 4 * SECTOR - 4, back, 4), OTAU_FLASH_OK);
    CHECK(memcmp(back, data, 4) == 0);
    file_flash_close(flash);
}

static void an_image_file_keeps_its_contents_across_reopening(void)
{
    char path[sizeof image_dir + 16];
    snprintf(path, sizeof path, "%s/keep.img", image_dir);
    struct file_flash_geometry geometry = small_geometry(0xFF, 4, false);
    char error[256];
    struct file_flash *flash = file_flash_open(path, &geometry, error, sizeof error);
    CHECK(flash != NULL);
    if (!flash) return;
    uint8_t data[4] = {9, 8, 7, 6};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_B, 8, data, 4), OTAU_FLASH_OK);
    CHECK_INT(file_flash_erase(flash, OTAU_AREA_BOOT_RECORD, 0, SECTOR), OTAU_FLASH_OK);
    file_flash_close(flash);

    flash = file_flash_open(path, &geometry, error, sizeof error);
    CHECK(flash != NULL);
    if (!flash) return;
    uint8_t back[4];
    CHECK_INT(file_flash_read(flash, OTAU_AREA_SLOT_B, 8, back, 4), OTAU_FLASH_OK);
    CHECK(memcmp(back, data, 4) == 0);
    CHECK_INT(file_flash_write(flash, OTAU_AREA_SLOT_B, 8, data, 4), OTAU_FLASH_NOT_ERASED);
    file_flash_close(flash);
    unlink(path);
}

static void a_trust_store_area_follows_slot_b_in_the_image_when_its_size_is_given(void)
{
    char path[sizeof image_dir + 16];
    snprintf(path, sizeof path, "%s/trust.img", image_dir);
    struct file_flash_geometry geometry = small_geometry(0xFF, 4, false);
    geometry.area_size[OTAU_AREA_TRUST_STORE] = 2 * SECTOR;
    char error[256];
    struct file_flash *flash = file_flash_open(path, &geometry, error, sizeof error);
    CHECK(flash != NULL);
    if (!flash) return;
    struct otau_flash_area_info info;
    CHECK_INT(file_flash_info(flash, OTAU_AREA_TRUST_STORE, &info), OTAU_FLASH_OK);
    CHECK_INT(info.size, 2 * SECTOR);
    uint8_t data[4] = {1, 2, 3, 4};
    CHECK_INT(file_flash_write(flash, OTAU_AREA_TRUST_STORE, 4, data, 4), OTAU_FLASH_OK);
    file_flash_close(flash);
    /* Boot record, two slots, then the trust store: 12 sectors in all. */
    FILE *file = fopen(path, "rb");
    uint8_t back[4] = {0};
    CHECK(file && fseek(file, 10 * SECTOR + 4, SEEK_SET) == 0 && fread(back, 1, 4, file) == 4);
    if (file) fclose(file);
    CHECK(memcmp(back, data, 4) == 0);
    unlink(path);
}

static void an_image_of_another_size_is_refused_with_its_size(void)
{
    char path[sizeof image_dir + 16];
    snprintf(path, sizeof path, "%s/short.img", image_dir);
    FILE *file = fopen(path, "wb");
    fwrite("0123456789", 1, 10, file);
    fclose(file);
    struct file_flash_geometry geometry = small_geometry(0xFF, 4, false);
    char error[256] = "";
    CHECK(file_flash_open(path, &geometry, error, sizeof error) == NULL);
    CHECK_CONTAINS(error, "holds 10 bytes but the areas need 40960");
    unlink(path);
}

static void an_impossible_geometry_is_refused_with_the_reason(void)
{
    char error[256] = "";
    struct file_flash_geometry geometry = small_geometry(0xFF, 3, false);
    CHECK(file_flash_open(NULL, &geometry, error, sizeof error) == NULL);
    CHECK_CONTAINS(error, "write alignment 3");

    geometry = small_geometry(0x55, 4, false);
    CHECK(file_flash_open(NULL, &geometry, error, sizeof error) == NULL);
    CHECK_CONTAINS(error, "erased value must be 0xFF or 0x00");

    geometry = small_geometry(0xFF, 4, false);
    geometry.area_size[OTAU_AREA_SLOT_A] = SECTOR + 512;
    CHECK(file_flash_open(NULL, &geometry, error, sizeof error) == NULL);
    CHECK_CONTAINS(error, "slot A size 4608");

    geometry = small_geometry(0xFF, 4, false);
    geometry.sector_size = 0;
    CHECK(file_flash_open(NULL, &geometry, error, sizeof error) == NULL);
    CHECK_CONTAINS(error, "sector size must be positive");
}

int main(void)
{
    if (!mkdtemp(image_dir)) {
        perror("mkdtemp");
        return 2;
    }
    RUN_TEST(a_new_flash_is_erased_to_the_configured_value);
    RUN_TEST(info_describes_each_area_and_refuses_unknown_areas);
    RUN_TEST(erase_refuses_anything_but_whole_sectors);
    RUN_TEST(erasing_a_sector_erases_exactly_that_sector);
    RUN_TEST(write_refuses_a_misaligned_offset_or_length);
    RUN_TEST(write_with_alignment_one_accepts_single_bytes);
    RUN_TEST(strict_write_onto_unerased_bytes_is_refused_and_changes_nothing);
    RUN_TEST(strict_write_checks_erasure_against_an_erased_value_of_zero);
    RUN_TEST(and_writes_only_clear_bits_when_erased_is_ff);
    RUN_TEST(and_writes_only_set_bits_when_erased_is_zero);
    RUN_TEST(accesses_past_the_end_of_an_area_are_out_of_range);
    RUN_TEST(reads_need_no_alignment);
    RUN_TEST(areas_are_independent);
    RUN_TEST(an_image_file_keeps_its_contents_across_reopening);
    RUN_TEST(a_trust_store_area_follows_slot_b_in_the_image_when_its_size_is_given);
    RUN_TEST(an_image_of_another_size_is_refused_with_its_size);
    RUN_TEST(an_impossible_geometry_is_refused_with_the_reason);
    rmdir(image_dir);
    return check_exit_status();
}
