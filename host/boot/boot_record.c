#include "boot_record.h"

#include <string.h>

#include "boot_crc32.h"
#include "boot_status.h"

/* Wire layout, little-endian (docs/boot-record.md). */
#define RECORD_MAGIC 0x5241544fu /* "OTAR" */
#define COMMIT_MAGIC 0x4341544fu /* "OTAC" */
#define FORMAT_VERSION 1u
#define OFF_MAGIC 0
#define OFF_FORMAT 4
#define OFF_ACTIVE 5
#define OFF_TRIAL 6
#define OFF_ATTEMPTS 7
#define OFF_BOOTED 8
#define OFF_SEQUENCE 12
#define OFF_SLOTS 16
#define ENTRY_SIZE 104
#define ENTRY_STATE 0
#define ENTRY_VERSION_LENGTH 1
#define ENTRY_FAILURE_CAUSE 2
#define ENTRY_IMAGE_PROBLEM 3
#define ENTRY_IMAGE_SIZE 4
#define ENTRY_DIGEST 8
#define OFF_CRC (OFF_SLOTS + 2 * ENTRY_SIZE)
#define JOURNAL_MIN_PAGES 2u

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static bool is_slot(int area) { return area == BOOT_AREA_SLOT_A || area == BOOT_AREA_SLOT_B; }

int boot_area_check(const struct boot_flash *flash, int area)
{
    if (area < 0 || area >= BOOT_AREA_COUNT) return BOOT_FLASH_NO_SUCH_AREA;
    const struct boot_area_geometry *g = &flash->areas[area];
    if (g->write_align == 0 || g->write_align > BOOT_MAX_WRITE_ALIGN || (g->write_align & (g->write_align - 1)) != 0) {
        return BOOT_WRITE_ALIGNMENT_INVALID;
    }
    if (g->sector_size == 0 || g->sector_size % g->write_align != 0) return BOOT_SECTOR_SIZE_INVALID;
    if (g->size == 0 || g->size % g->sector_size != 0) return BOOT_AREA_SIZE_INVALID;
    if (g->erased_value != 0xff && g->erased_value != 0x00) return BOOT_ERASED_VALUE_INVALID;
    return BOOT_OK;
}

/* ---- Layout of area 0: copy 0, copy 1, then the agent's progress journal. */

static uint32_t write_span(const struct boot_flash *flash, uint32_t bytes)
{
    uint32_t align = flash->areas[BOOT_AREA_RECORD].write_align;
    return (bytes + align - 1) & ~(align - 1);
}

static uint32_t round_to_sectors(const struct boot_flash *flash, uint32_t bytes)
{
    uint32_t sector = flash->areas[BOOT_AREA_RECORD].sector_size;
    return (bytes + sector - 1) / sector * sector;
}

uint32_t boot_record_copy_span(const struct boot_flash *flash)
{
    return round_to_sectors(flash, write_span(flash, BOOT_RECORD_BYTES) + write_span(flash, BOOT_RECORD_MARKER_BYTES));
}

int boot_record_area_check(const struct boot_flash *flash)
{
    int status = boot_area_check(flash, BOOT_AREA_RECORD);
    if (status != BOOT_OK) return status;
    uint32_t size = flash->areas[BOOT_AREA_RECORD].size;
    /* Two copies and two journal pages need at least four sectors (this also keeps the
     * sums below from overflowing). */
    if (flash->areas[BOOT_AREA_RECORD].sector_size > size / 4) return BOOT_AREA_TOO_SMALL;
    uint64_t journal_start = 2u * (uint64_t)boot_record_copy_span(flash);
    if (journal_start > size) return BOOT_AREA_TOO_SMALL;
    uint32_t page = round_to_sectors(flash, write_span(flash, BOOT_JOURNAL_ENTRY_BYTES) + write_span(flash, BOOT_JOURNAL_MARKER_BYTES));
    if ((size - (uint32_t)journal_start) / page < JOURNAL_MIN_PAGES) return BOOT_AREA_TOO_SMALL;
    return BOOT_OK;
}

/* ---- Reading */

static bool copy_is_valid(const struct boot_flash *flash, const uint8_t *copy)
{
    const uint8_t *marker = copy + write_span(flash, BOOT_RECORD_BYTES);
    uint32_t crc = get32(copy + OFF_CRC);
    if (get32(marker) != COMMIT_MAGIC || get32(marker + 4) != crc) return false;
    if (boot_crc32(copy, OFF_CRC) != crc) return false;
    if (get32(copy + OFF_MAGIC) != RECORD_MAGIC || copy[OFF_FORMAT] != FORMAT_VERSION) return false;
    int active = copy[OFF_ACTIVE];
    int trial = copy[OFF_TRIAL];
    if (!is_slot(active) || (trial != BOOT_NO_SLOT && !is_slot(trial)) || trial == active) return false;
    if (copy[OFF_BOOTED] > 1) return false;
    for (int slot = BOOT_AREA_SLOT_A; slot <= BOOT_AREA_SLOT_B; slot++) {
        const uint8_t *entry = copy + OFF_SLOTS + (slot - 1) * ENTRY_SIZE;
        if (entry[ENTRY_STATE] > BOOT_SLOT_FAILED) return false;
        if (entry[ENTRY_VERSION_LENGTH] > BOOT_VERSION_MAX_BYTES) return false;
    }
    return true;
}

/* 1 valid, 0 not, or a negative status. */
static int read_copy(const struct boot_flash *flash, int copy, uint8_t *buffer)
{
    uint32_t span = write_span(flash, BOOT_RECORD_BYTES) + write_span(flash, BOOT_RECORD_MARKER_BYTES);
    int status = boot_flash_status(flash->read(flash->context, BOOT_AREA_RECORD, (uint32_t)copy * boot_record_copy_span(flash), buffer, span));
    if (status != BOOT_OK) return status;
    return copy_is_valid(flash, buffer) ? 1 : 0;
}

/* Sequence numbers compare modulo 2^32. */
static bool is_newer(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

static void clear_record(struct boot_record *record)
{
    memset(record->bytes, 0, sizeof record->bytes);
    put32(record->bytes + OFF_MAGIC, RECORD_MAGIC);
    record->bytes[OFF_FORMAT] = FORMAT_VERSION;
    record->bytes[OFF_ACTIVE] = BOOT_AREA_SLOT_A;
}

int boot_record_load(const struct boot_flash *flash, struct boot_record *record)
{
    static uint8_t second_copy[BOOT_RECORD_COPY_MAX];
    record->copy = -1;
    int status = boot_record_area_check(flash);
    if (status != BOOT_OK) return status;
    int first = read_copy(flash, 0, record->bytes);
    if (first < 0) return first;
    int second = read_copy(flash, 1, second_copy);
    if (second < 0) return second;
    if (second == 1 && (first == 0 || is_newer(get32(second_copy + OFF_SEQUENCE), get32(record->bytes + OFF_SEQUENCE)))) {
        memcpy(record->bytes, second_copy, sizeof second_copy);
        record->copy = 1;
    } else if (first == 1) {
        record->copy = 0;
    } else {
        clear_record(record);
        return BOOT_NO_RECORD;
    }
    record->sequence = get32(record->bytes + OFF_SEQUENCE);
    return BOOT_OK;
}

/* ---- Writing: erase the other copy, payload, then the commit marker, then read back. */

int boot_record_store(const struct boot_flash *flash, struct boot_record *record)
{
    static uint8_t readback[BOOT_RECORD_COPY_MAX];
    int status = boot_record_area_check(flash);
    if (status != BOOT_OK) return status;
    int target = record->copy == 0 ? 1 : 0;
    uint32_t sequence = record->copy < 0 ? 1 : record->sequence + 1;
    uint32_t payload = write_span(flash, BOOT_RECORD_BYTES);
    uint32_t marker = write_span(flash, BOOT_RECORD_MARKER_BYTES);
    uint8_t erased = (uint8_t)flash->areas[BOOT_AREA_RECORD].erased_value;
    uint8_t *bytes = record->bytes;

    put32(bytes + OFF_MAGIC, RECORD_MAGIC);
    bytes[OFF_FORMAT] = FORMAT_VERSION;
    put32(bytes + OFF_SEQUENCE, sequence);
    uint32_t crc = boot_crc32(bytes, OFF_CRC);
    put32(bytes + OFF_CRC, crc);
    memset(bytes + BOOT_RECORD_BYTES, erased, payload - BOOT_RECORD_BYTES);
    put32(bytes + payload, COMMIT_MAGIC);
    put32(bytes + payload + 4, crc);
    memset(bytes + payload + BOOT_RECORD_MARKER_BYTES, erased, marker - BOOT_RECORD_MARKER_BYTES);

    uint32_t span = boot_record_copy_span(flash);
    uint32_t base = (uint32_t)target * span;
    status = boot_flash_status(flash->erase(flash->context, BOOT_AREA_RECORD, base, span));
    if (status != BOOT_OK) return status;
    status = boot_flash_status(flash->write(flash->context, BOOT_AREA_RECORD, base, bytes, payload));
    if (status != BOOT_OK) return status;
    status = boot_flash_status(flash->write(flash->context, BOOT_AREA_RECORD, base + payload, bytes + payload, marker));
    if (status != BOOT_OK) return status;
    status = boot_flash_status(flash->read(flash->context, BOOT_AREA_RECORD, base, readback, payload + marker));
    if (status != BOOT_OK) return status;
    if (memcmp(readback, bytes, payload + marker) != 0) return BOOT_READ_BACK_MISMATCH;
    record->copy = target;
    record->sequence = sequence;
    return BOOT_OK;
}

/* ---- Fields */

static const uint8_t *entry_of(const struct boot_record *record, int slot)
{
    return record->bytes + OFF_SLOTS + (slot - 1) * ENTRY_SIZE;
}

int boot_record_active(const struct boot_record *record) { return record->bytes[OFF_ACTIVE]; }
int boot_record_trial(const struct boot_record *record) { return record->bytes[OFF_TRIAL]; }
int boot_record_attempts(const struct boot_record *record) { return record->bytes[OFF_ATTEMPTS]; }
bool boot_record_trial_booted(const struct boot_record *record) { return record->bytes[OFF_BOOTED] != 0; }

enum boot_slot_state boot_record_slot_state(const struct boot_record *record, int slot)
{
    return (enum boot_slot_state)entry_of(record, slot)[ENTRY_STATE];
}

uint32_t boot_record_slot_size(const struct boot_record *record, int slot)
{
    return get32(entry_of(record, slot) + ENTRY_IMAGE_SIZE);
}

const uint8_t *boot_record_slot_digest(const struct boot_record *record, int slot)
{
    return entry_of(record, slot) + ENTRY_DIGEST;
}

void boot_record_set_active(struct boot_record *record, int slot) { record->bytes[OFF_ACTIVE] = (uint8_t)slot; }

void boot_record_set_trial(struct boot_record *record, int slot, int attempts, bool booted)
{
    record->bytes[OFF_TRIAL] = (uint8_t)slot;
    record->bytes[OFF_ATTEMPTS] = (uint8_t)attempts;
    record->bytes[OFF_BOOTED] = booted ? 1 : 0;
}

void boot_record_set_slot_state(struct boot_record *record, int slot, enum boot_slot_state state)
{
    record->bytes[OFF_SLOTS + (slot - 1) * ENTRY_SIZE + ENTRY_STATE] = (uint8_t)state;
}

enum boot_failure_cause boot_record_slot_failure_cause(const struct boot_record *record, int slot)
{
    return (enum boot_failure_cause)entry_of(record, slot)[ENTRY_FAILURE_CAUSE];
}

int boot_record_slot_image_problem(const struct boot_record *record, int slot)
{
    return entry_of(record, slot)[ENTRY_IMAGE_PROBLEM];
}

void boot_record_set_slot_failed(struct boot_record *record, int slot, int refusal)
{
    uint8_t *entry = record->bytes + OFF_SLOTS + (slot - 1) * ENTRY_SIZE;
    entry[ENTRY_STATE] = BOOT_SLOT_FAILED;
    entry[ENTRY_FAILURE_CAUSE] = refusal != 0 ? BOOT_FAILURE_REFUSED : BOOT_FAILURE_NOT_CONFIRMED;
    /* Refusal codes are ImageProblem (1-23) or the check's own (64-67): all fit a byte. */
    entry[ENTRY_IMAGE_PROBLEM] = (uint8_t)(refusal > 0xff ? 0xff : refusal);
}
