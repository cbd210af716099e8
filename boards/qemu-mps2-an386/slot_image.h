/*
 * The MCUboot image a slot holds, as `imgtool sign` writes it (https://docs.mcuboot.com/design.html,
 * "Image format"): a header of hdr_size bytes, the body (the application, linked to run from
 * slot + hdr_size), then the TLV area. The bootloader reads the header to decide whether the
 * image may run from the slot; the application reads its own to measure itself.
 */
#ifndef SLOT_IMAGE_H
#define SLOT_IMAGE_H

#include <stdint.h>

#define IMAGE_MAGIC 0x96f3b83du
#define IMAGE_F_ROM_FIXED 0x00000100u

/* The header's first 32 bytes, little-endian like the CPU. */
struct image_header {
    uint32_t magic;
    uint32_t load_addr;        /* with IMAGE_F_ROM_FIXED: the flash address the image runs from */
    uint16_t hdr_size;         /* the body starts this many bytes after the header's first */
    uint16_t protect_tlv_size; /* protected TLVs, counted in the hash; 0 when none */
    uint32_t img_size;         /* the body's bytes */
    uint32_t flags;
    uint8_t version_major;
    uint8_t version_minor;
    uint16_t version_revision;
    uint32_t version_build;
    uint32_t pad;
};

/* Why an image may not run from a slot. */
enum slot_image_problem {
    SLOT_IMAGE_OK = 0,
    SLOT_IMAGE_NO_MAGIC,      /* no MCUboot header: erased, or not an image */
    SLOT_IMAGE_BAD_SIZES,     /* header or body do not fit the slot */
    SLOT_IMAGE_NOT_ROM_FIXED, /* no address to run from (IMAGE_F_ROM_FIXED clear) */
    SLOT_IMAGE_OTHER_ADDRESS, /* linked for another address than this slot's */
    SLOT_IMAGE_NO_VECTORS,    /* the body does not start with a vector table into the slot (the bootloader's check) */
};

/* The header at the slot's first byte (the slot is memory-mapped). */
static inline const struct image_header *slot_image_header(uint32_t slot_address)
{
    return (const struct image_header *)slot_address;
}

/* Whether the image in the slot at `slot_address` (`slot_size` bytes) was built to run in place
 * from there. */
enum slot_image_problem slot_image_check(uint32_t slot_address, uint32_t slot_size);

/* What a problem means, for the console. */
const char *slot_image_problem_text(enum slot_image_problem problem);

/* Bytes the image occupies from the slot's first: header, body, protected and unprotected TLVs;
 * 0 when the TLV area is not where the header says. */
uint32_t slot_image_size(uint32_t slot_address);

#endif
