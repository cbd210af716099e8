#include "slot_image.h"

#define TLV_INFO_MAGIC 0x6907u
#define TLV_INFO_SIZE 4u

enum slot_image_problem slot_image_check(uint32_t slot_address, uint32_t slot_size)
{
    const struct image_header *header = slot_image_header(slot_address);
    if (header->magic != IMAGE_MAGIC) return SLOT_IMAGE_NO_MAGIC;
    if (header->hdr_size < sizeof *header || (uint64_t)header->hdr_size + header->img_size > slot_size)
        return SLOT_IMAGE_BAD_SIZES;
    /* XIP: the body's absolute addresses (vector table, literal pools) are those it was linked
     * for, so an image linked for the other slot would run the other slot's code, or crash. */
    if (!(header->flags & IMAGE_F_ROM_FIXED)) return SLOT_IMAGE_NOT_ROM_FIXED;
    if (header->load_addr != slot_address) return SLOT_IMAGE_OTHER_ADDRESS;
    return SLOT_IMAGE_OK;
}

const char *slot_image_problem_text(enum slot_image_problem problem)
{
    switch (problem) {
    case SLOT_IMAGE_OK: return "an image built for this slot";
    case SLOT_IMAGE_NO_MAGIC: return "no MCUboot image header";
    case SLOT_IMAGE_BAD_SIZES: return "an MCUboot header whose sizes overrun the slot";
    case SLOT_IMAGE_NOT_ROM_FIXED: return "an image without IMAGE_F_ROM_FIXED (no address to run from)";
    case SLOT_IMAGE_OTHER_ADDRESS: return "an image linked for another address";
    case SLOT_IMAGE_NO_VECTORS: return "an image whose body has no vector table for this slot";
    }
    return "?";
}

uint32_t slot_image_size(uint32_t slot_address)
{
    const struct image_header *header = slot_image_header(slot_address);
    uint32_t tlv = (uint32_t)header->hdr_size + header->img_size + header->protect_tlv_size;
    const uint16_t *info = (const uint16_t *)(slot_address + tlv);
    if (info[0] != TLV_INFO_MAGIC) return 0;
    return tlv + info[1];
}
