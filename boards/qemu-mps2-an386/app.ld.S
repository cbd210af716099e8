/*
 * An application linked to run in place from one slot of the NOR part: the Makefile
 * preprocesses this file with APP_SLOT_ADDRESS set to NOR_SLOT_A_ADDRESS or
 * NOR_SLOT_B_ADDRESS (flash_layout.h). The slot starts with the MCUboot image header imgtool
 * adds, so the code starts NOR_IMAGE_HEADER_SIZE bytes in. Its RAM is the bootloader's RAM:
 * the bootloader is done with it by the hand-over.
 */
#include "flash_layout.h"

MEMORY
{
  FLASH (rx)  : ORIGIN = APP_SLOT_ADDRESS + NOR_IMAGE_HEADER_SIZE, LENGTH = NOR_SLOT_SIZE - NOR_IMAGE_HEADER_SIZE
  RAM   (rwx) : ORIGIN = 0x20000000, LENGTH = 1M
}

/* The slot this build runs from: the application's own (app_main.c), imgtool's --rom-fixed
 * address, --header-size and --slot-size (the Makefile reads them with nm). */
__slot_start = APP_SLOT_ADDRESS;
__slot_header_size = NOR_IMAGE_HEADER_SIZE;
__slot_size = NOR_SLOT_SIZE;

INCLUDE mps2_sections.ld
