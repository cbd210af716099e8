/*
 * An application linked to run in place from one slot of the NOR part: the Makefile
 * preprocesses this file with APP_SLOT_ADDRESS set to NOR_SLOT_A_ADDRESS or
 * NOR_SLOT_B_ADDRESS (flash_layout.h). Its RAM is the bootloader's RAM: the bootloader is
 * done with it by the hand-over.
 */
#include "flash_layout.h"

MEMORY
{
  FLASH (rx)  : ORIGIN = APP_SLOT_ADDRESS, LENGTH = NOR_SLOT_SIZE
  RAM   (rwx) : ORIGIN = 0x20000000, LENGTH = 1M
}

INCLUDE mps2_sections.ld
