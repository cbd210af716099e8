#define _GNU_SOURCE /* memmem */
/*
 * libFuzzer harness: build/agent.wasm under the host core (wasm3 and the import table) on a
 * fuzzed device (fuzz_device.c), the C bootloader's decision (host/boot/) at every start.
 *
 * An input is a header (flash geometry, device settings) and then events, one opcode byte and
 * its arguments each (see `enum op`): config documents built from a template (valid, so the
 * fuzzer gets deep at once) or raw bytes, answers to the agent's fetch (honest, or lying in
 * the ways real servers do), data, ends, ticks, power cycles, flash faults, application health.
 * A device may have a trust store (area 3) with keys from the input; it then also takes images
 * from the input (imgtool-signed in the seeds) and signed key-list updates (`trust_update`).
 * Oracles: no trap; every report valid UTF-8 JSON within its lengths; no flash call refused
 * and no flash error reported unless a fault was injected; the running slot (and a trial's
 * fallback until it is confirmed) never written; after every reset the bootloader picks a slot whose bytes match its
 * record; no image installed that its config's digests refuse; on a device with keys, no image
 * started that is not signed by a key it trusted, and its key list changed only by an update
 * signed by a key in force and newer than the list in force (signed_check.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_decision.h"
#include "boot_record.h"
#include "boot_flash_hal.h"
#include "boot_sha256.h"
#include "boot_status.h"
#include "fuzz_device.h"
#include "signed_check.h"

#define FACTORY_VERSION "1.0.0"
#define SLOT_SECTORS 8u
#define MAX_RESOURCES 8u
#define MAX_FILES 3u
#define MAX_VERSIONS 12u
#define MAX_LAYOUTS 4u
#define MAX_RESETS_PER_START 4u
#define DOC_MAX 1024u
#define URL_BASE "http://fw.example/"
#define IMAGE_MAX 4096u         /* an image taken from the input */
#define KEY_LIST_MAX 1024u      /* trust_update's limit (docs/abi.md) */
#define KEYS_EVER_MAX 16u

enum op {
    OP_CONFIG,   /* a config from the template: version, flags, sizes */
    OP_RESPONSE, /* answer the fetch: honest, or one of the lies of answer_fetch() */
    OP_DATA,     /* the next bytes of the resource (past its end: junk) */
    OP_DATA_RAW, /* bytes from the input as body */
    OP_DATA_END, /* the transfer ends, completed or failed */
    OP_TICK,     /* time passes */
    OP_POWER,    /* power cycle: the bootloader runs, the agent starts again */
    OP_FAULT,    /* arm a flash fault for a later write or erase */
    OP_HEALTHY,  /* the application vouches for the running image */
    OP_RUN,      /* the fetch answered honestly to the end */
    OP_RESEND,   /* the last config again (a reconnect, a re-poll after a reset) */
    OP_RAW,      /* a config document of raw bytes */
    OP_UNSIGNED_COUNT,
    /* A device with a trust store also takes: */
    OP_IMAGE = OP_UNSIGNED_COUNT, /* an image of input bytes, offered by a FILE config */
    OP_TRUST_UPDATE,              /* a key-list update of input bytes */
    OP_COUNT
};

struct input {
    const uint8_t *at;
    const uint8_t *end;
};

static uint8_t take(struct input *in)
{
    return in->at < in->end ? *in->at++ : 0;
}

static uint16_t take16(struct input *in)
{
    uint16_t high = take(in);
    return (uint16_t)(high << 8 | take(in));
}

/* A file the content server holds: its bytes are a function of (seed, offset), or an image. */
struct resource {
    char url[64];
    uint32_t size;
    uint32_t seed;
    const uint8_t *bytes; /* an image from the input; NULL: the seed's bytes */
};

/* What a config with digests allows into a slot: files laid out as URL_LIST lays them out. */
struct layout {
    uint32_t files;
    uint32_t size[MAX_FILES];
    uint8_t digest[MAX_FILES][BOOT_SHA256_DIGEST_SIZE];
};

struct sent_version {
    char version[24];
    bool unchecked; /* some config of this version had no digest: anything may be installed */
    uint32_t layouts;
    struct layout layout[MAX_LAYOUTS];
};

struct run {
    struct fuzz_device device;
    otau_agent *agent;
    uint32_t settings[9];
    bool setting_given[9];
    bool kaa;
    uint32_t now_ms;
    struct resource resources[MAX_RESOURCES];
    uint32_t resource_count;
    struct sent_version versions[MAX_VERSIONS];
    uint32_t version_count;
    uint8_t last_doc[DOC_MAX];
    uint32_t last_doc_len;
    uint32_t last_source;
    /* The answer to the current fetch: which resource, and the next byte to send. */
    const struct resource *serving;
    uint32_t position;
    uint32_t answered_fetch; /* device.fetch_count of the fetch answered last */
    int running_slot;        /* the slot the bootloader started */
    uint8_t images[MAX_RESOURCES][IMAGE_MAX]; /* the bytes of image resources, by resource */
    bool trust_store;        /* area 3 exists: the device takes images and key lists */
    bool signed_only;        /* it was provisioned with keys: only signed images may start */
    uint8_t factory_digest[BOOT_SHA256_DIGEST_SIZE];
    uint32_t factory_size;
    /* Every key the trust store has held in this run: what an installed image may be signed by. */
    uint8_t keys_ever[KEYS_EVER_MAX][TRUST_KEY_SIZE];
    uint32_t keys_ever_count;
};

/* The agent's own coverage points (tests/fuzz/instrument-agent.mjs): libFuzzer's extra counters
 * guide the campaign by them; `points_seen` keeps which were ever reached, for the summary. */
#define AGENT_POINTS_MAX 16384u
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t agent_points[AGENT_POINTS_MAX];
static uint8_t points_seen[AGENT_POINTS_MAX];

void otau_fuzz_cover(uint32_t point);
void otau_fuzz_cover(uint32_t point)
{
    if (point >= AGENT_POINTS_MAX) return;
    if (agent_points[point] < 255) agent_points[point]++;
    points_seen[point] = 1;
}

/* OTAU_FUZZ_POINTS set: at exit, how many agent points the inputs run reached. */
static void print_points_reached(void)
{
    unsigned reached = 0;
    for (uint32_t i = 0; i < AGENT_POINTS_MAX; i++) reached += points_seen[i];
    fprintf(stderr, "fuzz: agent points reached: %u of %s\n", reached, getenv("OTAU_FUZZ_POINTS"));
}

/* The current fetch has had its on_response. */
static bool answered(const struct run *run)
{
    return run->device.fetch_active && run->answered_fetch == run->device.fetch_count;
}

static const uint8_t *agent_wasm;
static uint32_t agent_wasm_len;
static struct otau_agent_config agent_config; /* OTAU_FUZZ_STACK_SIZE: wasm3's value stack */

static uint8_t content_byte(uint32_t seed, uint32_t offset)
{
    uint32_t x = (offset + 1u) * 2654435761u ^ seed * 40503u;
    x ^= x >> 15;
    return (uint8_t)(x * 2246822519u >> 24);
}

static uint8_t resource_byte(const struct resource *resource, uint32_t at)
{
    return resource->bytes ? resource->bytes[at] : content_byte(resource->seed, at);
}

static void content_digest(uint32_t seed, uint32_t size, uint8_t digest[BOOT_SHA256_DIGEST_SIZE])
{
    struct boot_sha256 hash;
    boot_sha256_init(&hash);
    uint8_t chunk[256];
    for (uint32_t at = 0; at < size; at += sizeof chunk) {
        uint32_t n = size - at < sizeof chunk ? size - at : (uint32_t)sizeof chunk;
        for (uint32_t i = 0; i < n; i++) chunk[i] = content_byte(seed, at + i);
        boot_sha256_update(&hash, chunk, n);
    }
    boot_sha256_final(&hash, digest);
}

static void hex(const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * len] = '\0';
}

/* ---- calling the agent: a trap is a finding; a reset or a power cut becomes a power cycle */

static void power_cycle(struct run *run);

static void settle(struct run *run, int status, const char *what)
{
    if (status == OTAU_AGENT_TRAPPED)
        fuzz_fail("the agent trapped in %s: %s", what, otau_agent_error(run->agent));
    if (status != OTAU_AGENT_OK) fuzz_fail("%s failed: %s", what, otau_agent_error(run->agent));
    if (run->device.power_lost || run->device.reset_requested) power_cycle(run);
}

static uint8_t *io_buffer(struct run *run, uint32_t *size)
{
    uint8_t *io = otau_agent_io_buffer(run->agent, size);
    if (!io) fuzz_fail("the agent has no I/O buffer");
    return io;
}

/* ---- the bootloader at every start, and the oracles on what it finds */

static int32_t raw_info(void *context, uint32_t area, struct otau_flash_area_info *info)
{
    return file_flash_info(((struct fuzz_device *)context)->flash, area, info);
}
static int32_t raw_read(void *context, uint32_t area, uint32_t offset, uint8_t *dst, uint32_t len)
{
    return file_flash_read(((struct fuzz_device *)context)->flash, area, offset, dst, len);
}
static int32_t raw_write(void *context, uint32_t area, uint32_t offset, const uint8_t *src,
                         uint32_t len)
{
    return file_flash_write(((struct fuzz_device *)context)->flash, area, offset, src, len);
}
static int32_t raw_erase(void *context, uint32_t area, uint32_t offset, uint32_t len)
{
    return file_flash_erase(((struct fuzz_device *)context)->flash, area, offset, len);
}

static void slot_digest(struct run *run, int slot, uint32_t offset, uint32_t size,
                        uint8_t digest[BOOT_SHA256_DIGEST_SIZE])
{
    struct boot_sha256 hash;
    boot_sha256_init(&hash);
    uint8_t chunk[512];
    for (uint32_t at = 0; at < size; at += sizeof chunk) {
        uint32_t n = size - at < sizeof chunk ? size - at : (uint32_t)sizeof chunk;
        if (file_flash_read(run->device.flash, (uint32_t)slot, offset + at, chunk, n) != 0)
            fuzz_fail("slot %d cannot be read at %u", slot, (unsigned)(offset + at));
        boot_sha256_update(&hash, chunk, n);
    }
    boot_sha256_final(&hash, digest);
}

static bool layout_matches(struct run *run, int slot, const struct layout *layout)
{
    uint32_t sector = run->device.geometry.sector_size;
    uint32_t offset = 0;
    for (uint32_t i = 0; i < layout->files; i++) {
        uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
        if (offset + layout->size[i] > run->device.geometry.area_size[slot]) return false;
        slot_digest(run, slot, offset, layout->size[i], digest);
        if (memcmp(digest, layout->digest[i], sizeof digest) != 0) return false;
        offset = (offset + layout->size[i] + sector - 1) / sector * sector;
    }
    return true;
}

/* Slot A still holds the factory image (unsigned, from before any key). */
static bool holds_factory_image(struct run *run, int slot)
{
    if (slot != OTAU_AREA_SLOT_A) return false;
    uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
    slot_digest(run, slot, 0, run->factory_size, digest);
    return memcmp(digest, run->factory_digest, sizeof digest) == 0;
}

/* On a device provisioned with keys, every image the bootloader starts (but the factory one)
 * must be signed by a key the device trusted. */
static void check_signed(struct run *run, int slot, uint32_t size)
{
    if (!run->signed_only || holds_factory_image(run, slot)) return;
    static uint8_t image[SLOT_SECTORS * 4096u];
    if (size > sizeof image || file_flash_read(run->device.flash, (uint32_t)slot, 0, image, size) != 0)
        fuzz_fail("slot %s cannot be read (%u bytes)", boot_slot_name(slot), (unsigned)size);
    const char *problem = image_signed_by(image, size, run->keys_ever, run->keys_ever_count);
    if (problem)
        fuzz_fail("the bootloader starts slot %s, whose image is not signed by a trusted key: %s",
                  boot_slot_name(slot), problem);
}

/* The slot the bootloader starts must hold what its record says, and what a config allowed. */
static void check_boot(struct run *run, const struct boot_decision *decision)
{
    int slot = decision->slot;
    if (slot == BOOT_NO_SLOT) fuzz_fail("nothing bootable after a reset (rule %s)", boot_rule_name(decision->rule));
    if (decision->record.copy < 0) return; /* no record: the factory image, unmeasured */
    uint32_t size = boot_record_slot_size(&decision->record, slot);
    uint8_t digest[BOOT_SHA256_DIGEST_SIZE];
    slot_digest(run, slot, 0, size, digest);
    if (memcmp(digest, boot_record_slot_digest(&decision->record, slot), sizeof digest) != 0)
        fuzz_fail("the bootloader starts slot %s, whose %u bytes do not match its record",
                  boot_slot_name(slot), (unsigned)size);
    /* Slot entry: version length at +1, version at +40 (docs/boot-record.md). */
    const uint8_t *entry = decision->record.bytes + 16 + 104 * (slot - 1);
    char version[BOOT_VERSION_MAX_BYTES + 1];
    uint32_t version_len = entry[1] <= BOOT_VERSION_MAX_BYTES ? entry[1] : 0;
    memcpy(version, entry + 40, version_len);
    version[version_len] = '\0';
    for (uint32_t v = 0; v < run->version_count; v++) {
        const struct sent_version *sent = &run->versions[v];
        if (strcmp(sent->version, version) != 0 || sent->unchecked) continue;
        bool allowed = false;
        for (uint32_t l = 0; l < sent->layouts && !allowed; l++)
            allowed = layout_matches(run, slot, &sent->layout[l]);
        if (!allowed)
            fuzz_fail("slot %s holds version %s, whose bytes no config's digests allow",
                      boot_slot_name(slot), version);
    }
    check_signed(run, slot, size);
}

static bool key_known(const struct run *run, const uint8_t key[TRUST_KEY_SIZE])
{
    for (uint32_t i = 0; i < run->keys_ever_count; i++)
        if (memcmp(run->keys_ever[i], key, TRUST_KEY_SIZE) == 0) return true;
    return false;
}

/* A device with keys keeps a valid key list, only ever of keys it was given or accepted. */
static void check_trust_store(struct run *run)
{
    struct trust_keys keys;
    if (!trust_store_read(run->device.flash, &run->device.geometry, &keys))
        fuzz_fail("the trust store of a device with keys has no valid copy");
    for (uint32_t k = 0; k < keys.count; k++)
        if (!key_known(run, keys.key[k]))
            fuzz_fail("the trust store holds key %u, which no accepted key list carried", (unsigned)k);
}

static const struct otau_hal raw_template = {
    .flash_info = raw_info, .flash_read = raw_read, .flash_write = raw_write, .flash_erase = raw_erase,
};

/* Once the running trial is confirmed in the boot record, its fallback is an old image the next
 * update may overwrite: only the running slot stays protected. */
static void release_confirmed_fallback(struct run *run)
{
    struct otau_hal raw = raw_template;
    raw.context = &run->device;
    struct boot_flash flash;
    static struct boot_record record;
    if (boot_flash_from_hal(&flash, &raw) != BOOT_OK || boot_record_load(&flash, &record) != BOOT_OK) return;
    int running = run->running_slot;
    if (boot_record_active(&record) != running || boot_record_trial(&record) == running) return;
    for (int area = 0; area < OTAU_AREA_COUNT; area++)
        if (area != running) run->device.protected_area[area] = false;
}

static void bootloader(struct run *run)
{
    struct otau_hal raw = raw_template;
    raw.context = &run->device;
    struct boot_flash flash;
    static struct boot_decision decision;
    int status = boot_flash_from_hal(&flash, &raw);
    if (status == BOOT_OK) status = boot_decide(&flash, &decision);
    if (status == BOOT_OK) status = boot_decision_apply(&flash, &decision);
    if (status != BOOT_OK) fuzz_fail("the bootloader failed with status %d", status);
    check_boot(run, &decision);
    if (run->signed_only) check_trust_store(run);
    memset(run->device.protected_area, 0, sizeof run->device.protected_area);
    run->device.protected_area[decision.slot] = true;
    run->running_slot = decision.slot;
    const struct boot_record *record = &decision.record;
    if (record->copy >= 0 && boot_record_trial(record) == decision.slot)
        run->device.protected_area[boot_record_active(record)] = true;
}

static void start_agent(struct run *run)
{
    settle(run, otau_agent_start(run->agent), "start");
    uint32_t size = 0;
    uint8_t *io = io_buffer(run, &size);
    memcpy(io, FACTORY_VERSION, strlen(FACTORY_VERSION));
    int32_t result = 0;
    int status = otau_agent_firmware_version(run->agent, (uint32_t)strlen(FACTORY_VERSION), &result);
    if (status != OTAU_AGENT_OK) fuzz_fail("firmware_version: %s", otau_agent_error(run->agent));
    for (uint32_t id = 0; id < 9; id++) {
        if (!run->setting_given[id]) continue;
        status = otau_agent_configure(run->agent, id, run->settings[id], &result);
        if (status != OTAU_AGENT_OK || result != 0)
            fuzz_fail("configure(%u, %u) refused", (unsigned)id, (unsigned)run->settings[id]);
    }
    status = otau_agent_boot(run->agent, &result);
    if (status == OTAU_AGENT_TRAPPED) fuzz_fail("the agent trapped in boot: %s", otau_agent_error(run->agent));
}

static void power_cycle(struct run *run)
{
    for (uint32_t starts = 0;; starts++) {
        if (starts == MAX_RESETS_PER_START) fuzz_fail("the agent resets at every start");
        run->device.power_lost = false;
        run->device.reset_requested = false;
        run->device.fetch_active = false;
        run->device.fault_mode = FUZZ_FAULT_NONE;
        run->serving = NULL;
        bootloader(run);
        start_agent(run);
        if (!run->device.power_lost && !run->device.reset_requested) return;
    }
}

/* ---- configs */

static void deliver_config(struct run *run, uint32_t source, const uint8_t *doc, uint32_t len,
                           uint32_t full_len)
{
    uint32_t size = 0;
    uint8_t *io = io_buffer(run, &size);
    uint32_t n = len < size ? len : size;
    memcpy(io, doc, n);
    int32_t result = 0;
    settle(run, otau_agent_on_config(run->agent, source, full_len, &result), "on_config");
}

static void remember_doc(struct run *run, uint32_t source, const uint8_t *doc, uint32_t len)
{
    if (len > DOC_MAX) len = DOC_MAX;
    memcpy(run->last_doc, doc, len);
    run->last_doc_len = len;
    run->last_source = source;
}

static struct sent_version *sent_version(struct run *run, const char *version)
{
    for (uint32_t v = 0; v < run->version_count; v++)
        if (strcmp(run->versions[v].version, version) == 0) return &run->versions[v];
    if (run->version_count == MAX_VERSIONS) return NULL;
    struct sent_version *sent = &run->versions[run->version_count++];
    memset(sent, 0, sizeof *sent);
    snprintf(sent->version, sizeof sent->version, "%s", version);
    return sent;
}

static struct resource *add_resource(struct run *run, const char *version, uint32_t index,
                                     uint32_t size, uint32_t seed)
{
    struct resource *resource = &run->resources[run->resource_count % MAX_RESOURCES];
    run->resource_count++;
    snprintf(resource->url, sizeof resource->url, URL_BASE "%s/%u/%u.bin", version,
             (unsigned)run->resource_count, (unsigned)index);
    resource->size = size;
    resource->seed = seed;
    resource->bytes = NULL;
    return resource;
}

/* Percent-encodes `text` for an otau_info tag value. */
static uint32_t percent_encode(const char *text, char *out, uint32_t capacity)
{
    static const char digits[] = "0123456789ABCDEF";
    uint32_t n = 0;
    for (const char *at = text; *at && n + 3 < capacity; at++) {
        unsigned char c = (unsigned char)*at;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.') {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = digits[c >> 4];
            out[n++] = digits[c & 15];
        }
    }
    out[n] = '\0';
    return n;
}

/* Template flags. */
#define TPL_SHA256 0x01u     /* digests in the config */
#define TPL_WRONG_SHA 0x02u  /* ... of other bytes than the server holds */
#define TPL_SIZE 0x04u       /* sizes in the config */
#define TPL_TYPE_SHIFT 3     /* 2 bits: FILE, FILE, URL_LIST, JSON */
#define TPL_OTAU_INFO 0x20u  /* Murano: wrapped in an otau_info tag (source 1) */
#define TPL_OLD 0x40u        /* version 0.x.y: a downgrade */
#define TPL_SIZE_OFF 0x80u   /* the config's size is one more than the server's */

/* Delivers a config of the template: `urls`, `digests` and `sizes` are JSON values separated by
 * commas, one per file; `type` 0-1 FILE, 2 URL_LIST, 3 JSON (of `level` v). */
static void send_template(struct run *run, const char *version, uint8_t flags, uint32_t type,
                          uint8_t v, const char *urls, const char *digests, const char *sizes)
{
    static char doc[DOC_MAX * 3];
    bool list = type == 2;
    char sha_field[MAX_FILES * 70 + 16] = "", size_field[MAX_FILES * 12 + 16] = "";
    if (flags & TPL_SHA256) snprintf(sha_field, sizeof sha_field, list ? ",\"sha256\":[%s]" : ",\"sha256\":%s", digests);
    if (flags & TPL_SIZE) snprintf(size_field, sizeof size_field, list ? ",\"size\":[%s]" : ",\"size\":%s", sizes);

    uint32_t source;
    if (run->kaa) {
        source = OTAU_CONFIG_KAA_RESPONSE;
        if (type == 3) snprintf(doc, sizeof doc, "{\"configId\":\"%s\",\"config\":{}}", version);
        else
            snprintf(doc, sizeof doc, "{\"configId\":\"%s\",\"config\":{%s%s%s%s%s,\"upgradableFrom\":[\"" FACTORY_VERSION "\"]}}",
                     version, list ? "\"links\":[" : "\"link\":", urls, list ? "]" : "", sha_field, size_field);
    } else {
        static char config[DOC_MAX * 2];
        if (type == 3)
            snprintf(config, sizeof config, "{\"version\":\"%s\",\"name\":\"settings\",\"type\":\"JSON\",\"payload\":{\"level\":%u}}",
                     version, (unsigned)v);
        else
            snprintf(config, sizeof config, "{\"version\":\"%s\",\"name\":\"fw\",\"type\":\"%s\",\"payload\":%s%s%s%s%s}",
                     version, list ? "URL_LIST" : "FILE", list ? "[" : "", urls, list ? "]" : "", sha_field, size_field);
        source = (flags & TPL_OTAU_INFO) ? OTAU_CONFIG_MURANO_OTAU_INFO : OTAU_CONFIG_MURANO_CONFIG_OTAU;
        if (source == OTAU_CONFIG_MURANO_OTAU_INFO) {
            static char info[DOC_MAX * 2];
            snprintf(info, sizeof info, "{\"author\":\"fuzz\",\"config_otau\":%s}", config);
            percent_encode(info, doc, sizeof doc);
        } else {
            snprintf(doc, sizeof doc, "%s", config);
        }
    }
    uint32_t len = (uint32_t)strlen(doc);
    remember_doc(run, source, (const uint8_t *)doc, len);
    deliver_config(run, source, (const uint8_t *)doc, len, len);
}

static void op_config(struct run *run, struct input *in)
{
    uint8_t v = take(in);
    uint8_t flags = take(in);
    char version[24];
    if (v == 0) snprintf(version, sizeof version, FACTORY_VERSION);
    else snprintf(version, sizeof version, "%u.%u.%u", (flags & TPL_OLD) ? 0u : 1u, (unsigned)(v >> 4), (unsigned)(v & 15));
    uint32_t type = (flags >> TPL_TYPE_SHIFT) & 3u;
    uint32_t files = type == 2 ? 1u + take(in) % MAX_FILES : 1u;
    uint32_t slot_size = run->device.geometry.area_size[OTAU_AREA_SLOT_B];
    struct layout layout = {.files = files};
    char urls[MAX_FILES * 80] = "", digests[MAX_FILES * 70] = "", sizes[MAX_FILES * 12] = "";
    for (uint32_t i = 0; i < files; i++) {
        uint32_t size = take16(in) % (slot_size + run->device.geometry.sector_size + 1u);
        uint32_t seed = take(in) | (uint32_t)run->resource_count << 8;
        const struct resource *resource = add_resource(run, version, i, size, seed);
        char digest_hex[2 * BOOT_SHA256_DIGEST_SIZE + 1];
        content_digest((flags & TPL_WRONG_SHA) ? seed ^ 0x5555u : seed, size, layout.digest[i]);
        layout.size[i] = size;
        hex(layout.digest[i], BOOT_SHA256_DIGEST_SIZE, digest_hex);
        const char *comma = i ? "," : "";
        snprintf(urls + strlen(urls), sizeof urls - strlen(urls), "%s\"%s\"", comma, resource->url);
        snprintf(digests + strlen(digests), sizeof digests - strlen(digests), "%s\"%s\"", comma, digest_hex);
        snprintf(sizes + strlen(sizes), sizeof sizes - strlen(sizes), "%s%u", comma,
                 (unsigned)(size + ((flags & TPL_SIZE_OFF) ? 1u : 0u)));
    }
    struct sent_version *sent = sent_version(run, version);
    if (sent && type != 3) {
        if (!(flags & TPL_SHA256)) sent->unchecked = true;
        else if (sent->layouts < MAX_LAYOUTS) sent->layout[sent->layouts++] = layout;
        else sent->unchecked = true;
    }
    send_template(run, version, flags, type, v, urls, digests, sizes);
}

static void op_raw(struct run *run, struct input *in)
{
    uint32_t source = take(in) % 3u;
    uint32_t len = take16(in) % (DOC_MAX + 1u);
    uint32_t available = (uint32_t)(in->end - in->at);
    if (len > available) len = available;
    const uint8_t *doc = in->at;
    in->at += len;
    /* A raw document may name a template version with other digests, or none. */
    for (uint32_t v = 0; v < run->version_count; v++)
        if (memmem(doc, len, run->versions[v].version, strlen(run->versions[v].version)))
            run->versions[v].unchecked = true;
    remember_doc(run, source, doc, len);
    deliver_config(run, source, doc, len, len);
}

static void op_resend(struct run *run)
{
    if (run->last_doc_len == 0) return;
    deliver_config(run, run->last_source, run->last_doc, run->last_doc_len, run->last_doc_len);
}

/* ---- signed images and key lists (a device with a trust store) */

static void remember_keys(struct run *run, const struct trust_keys *keys)
{
    for (uint32_t k = 0; k < keys->count; k++)
        if (!key_known(run, keys->key[k]) && run->keys_ever_count < KEYS_EVER_MAX)
            memcpy(run->keys_ever[run->keys_ever_count++], keys->key[k], TRUST_KEY_SIZE);
}

static bool same_key_list(const struct trust_keys *a, const struct trust_keys *b)
{
    return a->count == b->count && a->generation == b->generation &&
           memcmp(a->key, b->key, a->count * TRUST_KEY_SIZE) == 0;
}

/* An image of input bytes offered by a FILE config of its header's version (flags as
 * op_config's: digest, wrong digest, size, size off by one, otau_info). */
static void op_image(struct run *run, struct input *in)
{
    uint8_t flags = take(in);
    uint32_t len = take16(in) % (IMAGE_MAX + 1u);
    uint32_t available = (uint32_t)(in->end - in->at);
    if (len > available) len = available;
    struct resource *resource = add_resource(run, "signed", 0, len, 0);
    uint8_t *bytes = run->images[(run->resource_count - 1) % MAX_RESOURCES];
    memcpy(bytes, in->at, len);
    in->at += len;
    resource->bytes = bytes;

    /* The version the signed header carries (major.minor.revision[+build]), or one it cannot be. */
    char version[24] = "9.9.9";
    if (len >= 28) {
        uint32_t build = bytes[24] | bytes[25] << 8 | bytes[26] << 16 | (uint32_t)bytes[27] << 24;
        int n = snprintf(version, sizeof version, "%u.%u.%u", bytes[20], bytes[21],
                         (unsigned)(bytes[22] | bytes[23] << 8));
        if (build) snprintf(version + n, sizeof version - (size_t)n, "+%u", (unsigned)build);
    }
    struct layout layout = {.files = 1, .size = {len}};
    struct boot_sha256 hash;
    boot_sha256_init(&hash);
    boot_sha256_update(&hash, bytes, len);
    boot_sha256_final(&hash, layout.digest[0]);
    struct sent_version *sent = sent_version(run, version);
    if (sent) {
        if (!(flags & TPL_SHA256) || (flags & TPL_WRONG_SHA) || sent->layouts == MAX_LAYOUTS) sent->unchecked = true;
        else sent->layout[sent->layouts++] = layout;
    }
    char digest_hex[2 * BOOT_SHA256_DIGEST_SIZE + 3] = "\"";
    hex(layout.digest[0], BOOT_SHA256_DIGEST_SIZE, digest_hex + 1);
    if (flags & TPL_WRONG_SHA) digest_hex[1] = digest_hex[1] == '0' ? '1' : '0';
    strcat(digest_hex, "\"");
    char url[sizeof resource->url + 2], size[12];
    snprintf(url, sizeof url, "\"%s\"", resource->url);
    snprintf(size, sizeof size, "%u", (unsigned)(len + ((flags & TPL_SIZE_OFF) ? 1u : 0u)));
    send_template(run, version, flags, 0, 0, url, digest_hex, size);
}

/* The key list in force may change only to the list of an update signed by a key in force
 * before it, with a newer generation; `accepted`: the agent said it took the update. */
static void judge_key_list_change(struct run *run, const uint8_t *update, uint32_t len,
                                  const struct trust_keys *before, const struct trust_keys *after,
                                  bool accepted)
{
    struct trust_keys carried;
    if (before && after && same_key_list(before, after)) {
        if (accepted) fuzz_fail("trust_update answered accepted, and the key list in force is the old one");
        return;
    }
    if (!before || !after) fuzz_fail("the trust store %s during a key-list update", before ? "was lost" : "appeared");
    if (!key_list_body(update, len, &carried) || !same_key_list(&carried, after))
        fuzz_fail("the key list changed (generation %u -> %u) to one the update does not carry",
                  (unsigned)before->generation, (unsigned)after->generation);
    if (carried.generation <= before->generation)
        fuzz_fail("a key list of generation %u replaced generation %u", (unsigned)carried.generation,
                  (unsigned)before->generation);
    const char *problem = image_signed_by(update, len, before->key, before->count);
    if (problem) fuzz_fail("a key-list update was accepted that is not signed by a key in force: %s", problem);
    remember_keys(run, after);
}

/* A key-list update of input bytes, the trust store read before and after it. */
static void op_trust_update(struct run *run, struct input *in)
{
    uint32_t len = take16(in) % (KEY_LIST_MAX + 1u);
    uint32_t available = (uint32_t)(in->end - in->at);
    if (len > available) len = available;
    static uint8_t update[KEY_LIST_MAX];
    memcpy(update, in->at, len);
    in->at += len;

    struct trust_keys before, after;
    bool had = trust_store_read(run->device.flash, &run->device.geometry, &before);
    uint32_t io_size = 0;
    memcpy(io_buffer(run, &io_size), update, len);
    int32_t result = 0;
    int status = otau_agent_call(run->agent, "trust_update", 1, &len, &result);
    /* Judged before a power cut in the call is turned into a power cycle: its bootloader checks
     * the trust store against the keys remembered here. */
    bool has = trust_store_read(run->device.flash, &run->device.geometry, &after);
    judge_key_list_change(run, update, len, had ? &before : NULL, has ? &after : NULL,
                          status == OTAU_AGENT_OK && result == 0);
    settle(run, status, "trust_update");
}

/* The factory's provisioning: a key count (0-4) and the keys, from the input. */
static void provision_keys(struct run *run, struct input *in)
{
    struct trust_keys keys = {.count = take(in) % (TRUST_KEYS_MAX + 1u)};
    for (uint32_t k = 0; k < keys.count; k++)
        for (uint32_t i = 0; i < TRUST_KEY_SIZE; i++) keys.key[k][i] = take(in);
    trust_store_provision(run->device.flash, &run->device.geometry, &keys);
    run->signed_only = keys.count > 0;
    remember_keys(run, &keys);
}

/* ---- the content server */

static const struct resource *requested(struct run *run)
{
    uint32_t count = run->resource_count < MAX_RESOURCES ? run->resource_count : MAX_RESOURCES;
    for (uint32_t i = 0; i < count; i++)
        if (strcmp(run->resources[i].url, run->device.fetch_url) == 0) return &run->resources[i];
    return NULL;
}

static void respond(struct run *run, uint32_t status, uint32_t range_start, uint32_t total)
{
    run->answered_fetch = run->device.fetch_count;
    int32_t result = 0;
    settle(run, otau_agent_on_response(run->agent, status, range_start, total, &result), "on_response");
}

/* Answers the current fetch: `mode` 0 is an honest server; the others lie as real ones do. */
static void answer_fetch(struct run *run, uint32_t mode, struct input *in)
{
    if (!run->device.fetch_active || answered(run)) return;
    const struct resource *resource = requested(run);
    uint32_t offset = run->device.fetch_offset;
    run->serving = resource;
    run->position = offset;
    if (!resource) {
        respond(run, 404, 0, 0);
        return;
    }
    uint32_t size = resource->size;
    switch (mode) {
    case 0: /* honest */
        if (offset > 0 && offset >= size) respond(run, 416, 0, size);
        else respond(run, offset > 0 ? 206 : 200, offset, size);
        break;
    case 1: /* the Range ignored: the whole file from byte 0 */
        run->position = 0;
        respond(run, 200, 0, size);
        break;
    case 2: /* a 206 whose Content-Range lies: it says `offset`, the bytes start at 0 */
        run->position = 0;
        respond(run, 206, offset, size);
        break;
    case 3: { /* a 206 from some other offset, said truthfully */
        uint32_t start = take16(in) % (size + 1u);
        run->position = start;
        respond(run, 206, start, size);
        break;
    }
    case 4: { /* an error status */
        static const uint16_t statuses[] = {404, 500, 503, 416, 301, 204, 0, 999};
        respond(run, statuses[take(in) % 8], 0, 0);
        break;
    }
    case 5: /* a total that differs from the file's */
        respond(run, offset > 0 ? 206 : 200, offset, size + (uint32_t)(int8_t)take(in));
        break;
    case 6: /* chunked: the total unknown */
        respond(run, offset > 0 ? 206 : 200, offset, 0);
        break;
    default: /* a 206 without Content-Range, as the C host reports it */
        respond(run, 206, 0, 0);
        break;
    }
}

static void send_data(struct run *run, uint32_t count)
{
    if (!answered(run)) return;
    uint32_t io_size = 0;
    while (count > 0 && answered(run)) {
        uint8_t *io = io_buffer(run, &io_size);
        uint32_t n = count < io_size ? count : io_size;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t at = run->position + i;
            io[i] = run->serving && at < run->serving->size ? resource_byte(run->serving, at) : 0x5A;
        }
        run->position += n;
        count -= n;
        int32_t result = 0;
        settle(run, otau_agent_on_data(run->agent, n, &result), "on_data");
    }
}

static void op_data_raw(struct run *run, struct input *in)
{
    uint32_t len = take(in);
    uint32_t available = (uint32_t)(in->end - in->at);
    if (len > available) len = available;
    const uint8_t *bytes = in->at;
    in->at += len;
    if (!answered(run)) return;
    uint32_t io_size = 0;
    uint8_t *io = io_buffer(run, &io_size);
    memcpy(io, bytes, len);
    run->position += len;
    int32_t result = 0;
    settle(run, otau_agent_on_data(run->agent, len, &result), "on_data");
}

static void end_data(struct run *run, bool ok)
{
    if (!answered(run)) return;
    run->device.fetch_active = false;
    int32_t result = 0;
    settle(run, otau_agent_on_data_end(run->agent, ok ? 1u : 0u, &result), "on_data_end");
}

/* An honest server to the end of the file, for as many fetches as the agent makes in a row. */
static void op_run(struct run *run)
{
    for (int fetches = 0; fetches < 4 && run->device.fetch_active && !answered(run); fetches++) {
        answer_fetch(run, 0, NULL);
        if (run->serving && run->position < run->serving->size)
            send_data(run, run->serving->size - run->position);
        end_data(run, true);
    }
}

/* ---- time, power, faults, health */

static void op_tick(struct run *run, struct input *in)
{
    uint32_t step = take(in);
    run->now_ms += step * step * 8u; /* up to 520 s: reaches every retry delay and stall timeout */
    int32_t result = 0;
    settle(run, otau_agent_on_tick(run->agent, run->now_ms, &result), "on_tick");
}

static void op_fault(struct run *run, struct input *in)
{
    uint8_t how = take(in);
    run->device.fault_mode = (how & 1) ? FUZZ_FAULT_POWER_CUT : FUZZ_FAULT_REFUSE;
    run->device.fault_countdown = how >> 1;
    run->device.fault_cut = take(in);
}

/* ---- one input */

static void put_factory_image(struct run *run, uint32_t size)
{
    uint8_t chunk[256];
    for (uint32_t at = 0; at < size; at += sizeof chunk) {
        uint32_t n = size - at < sizeof chunk ? size - at : (uint32_t)sizeof chunk;
        uint32_t padded = (n + run->device.geometry.write_align - 1) / run->device.geometry.write_align *
                          run->device.geometry.write_align;
        memset(chunk, run->device.geometry.erased_value, sizeof chunk);
        for (uint32_t i = 0; i < n; i++) chunk[i] = content_byte(0xFAC7u, at + i);
        if (file_flash_write(run->device.flash, OTAU_AREA_SLOT_A, at, chunk, padded) != 0)
            fuzz_fail("cannot write the factory image");
    }
}

static void setting(struct run *run, uint32_t id, uint32_t value)
{
    run->settings[id] = value;
    run->setting_given[id] = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *path = getenv("OTAU_FUZZ_AGENT");
    if (!path) path = "build/agent.wasm";
    FILE *file = fopen(path, "rb");
    if (!file) {
        fprintf(stderr, "fuzz: cannot open the agent %s (set OTAU_FUZZ_AGENT)\n", path);
        exit(2);
    }
    static uint8_t module[512 * 1024];
    agent_wasm_len = (uint32_t)fread(module, 1, sizeof module, file);
    fclose(file);
    agent_wasm = module;
    if (getenv("OTAU_FUZZ_POINTS")) atexit(print_points_reached);
    const char *stack_size = getenv("OTAU_FUZZ_STACK_SIZE");
    if (stack_size) agent_config.stack_size = (uint32_t)strtoul(stack_size, NULL, 10);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct run run;
    memset(&run, 0, sizeof run);
    struct input in = {data, data + size};

    uint8_t geometry_byte = take(&in);
    uint8_t device_byte = take(&in);
    static const uint32_t aligns[] = {1, 4, 8, 16};
    struct file_flash_geometry geometry = {.sector_size = (geometry_byte & 1) ? 4096u : 1024u};
    geometry.write_align = aligns[(geometry_byte >> 1) & 3];
    geometry.erased_value = (geometry_byte & 8) ? 0x00 : 0xFF;
    geometry.area_size[OTAU_AREA_BOOT_RECORD] = 4 * geometry.sector_size;
    geometry.area_size[OTAU_AREA_SLOT_A] = SLOT_SECTORS * geometry.sector_size;
    geometry.area_size[OTAU_AREA_SLOT_B] = SLOT_SECTORS * geometry.sector_size;
    run.trust_store = (device_byte & 0x40) != 0;
    if (run.trust_store) geometry.area_size[OTAU_AREA_TRUST_STORE] = 2 * geometry.sector_size;
    fuzz_device_open(&run.device, &geometry);
    run.device.apply_json_result = (geometry_byte & 0x80) ? -22 : 0;
    if (run.trust_store) provision_keys(&run, &in);

    run.kaa = (geometry_byte & 0x10) != 0;
    setting(&run, OTAU_SETTING_CLOUD, run.kaa ? 1u : 0u);
    setting(&run, OTAU_SETTING_REQUIRE_DIGEST, (geometry_byte >> 5) & 1u);
    setting(&run, OTAU_SETTING_ALLOW_DOWNGRADE, (geometry_byte >> 6) & 1u);
    setting(&run, OTAU_SETTING_MAX_ATTEMPTS, 1u + (device_byte & 7u));
    setting(&run, OTAU_SETTING_TRIAL_BOOTS, 1u + ((device_byte >> 3) & 3u));
    uint32_t factory_size = geometry.area_size[OTAU_AREA_SLOT_A] / 2 + 13u;
    put_factory_image(&run, factory_size);
    run.factory_size = factory_size;
    content_digest(0xFAC7u, factory_size, run.factory_digest);
    setting(&run, OTAU_SETTING_FACTORY_IMAGE_SIZE, (device_byte & 0x20) ? factory_size : 0u);

    /* The factory image is version 1.0.0 whatever a config of that version says. */
    sent_version(&run, FACTORY_VERSION)->unchecked = true;

    run.agent = otau_agent_new(&run.device.hal, agent_wasm, agent_wasm_len, &agent_config);
    if (!run.agent) fuzz_fail("out of memory");
    power_cycle(&run);

    for (uint32_t events = 0; in.at < in.end && events < 256; events++) {
        uint8_t op = take(&in) % (run.trust_store ? OP_COUNT : OP_UNSIGNED_COUNT);
        switch (op) {
        case OP_CONFIG: op_config(&run, &in); break;
        case OP_RESPONSE: answer_fetch(&run, take(&in) % 8u, &in); break;
        case OP_DATA: send_data(&run, 1u + take16(&in) % 12288u); break;
        case OP_DATA_RAW: op_data_raw(&run, &in); break;
        case OP_DATA_END: end_data(&run, take(&in) & 1); break;
        case OP_TICK: op_tick(&run, &in); break;
        case OP_POWER: power_cycle(&run); break;
        case OP_FAULT: op_fault(&run, &in); break;
        case OP_HEALTHY: {
            int32_t result = 0;
            settle(&run, otau_agent_on_healthy(run.agent, &result), "on_healthy");
            release_confirmed_fallback(&run);
            break;
        }
        case OP_RUN: op_run(&run); break;
        case OP_RESEND: op_resend(&run); break;
        case OP_IMAGE: op_image(&run, &in); break;
        case OP_TRUST_UPDATE: op_trust_update(&run, &in); break;
        default: op_raw(&run, &in); break;
        }
    }
    power_cycle(&run); /* whatever happened, the device must start again */

    otau_agent_free(run.agent);
    fuzz_device_close(&run.device);
    return 0;
}
