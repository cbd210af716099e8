/*
 * The emulated NOR part: 4 KiB sectors, 4-byte program unit, erased to 0xFF. Area 0 holds
 * the boot record (two copies and two journal pages, docs/boot-record.md); slots A and B
 * hold one image each.
 */
#ifndef FLASH_LAYOUT_H
#define FLASH_LAYOUT_H

#define NOR_SECTOR_SIZE 4096u
#define NOR_WRITE_ALIGN 4u
#define NOR_ERASED_VALUE 0xFFu

#define NOR_BOOT_RECORD_SIZE (4u * NOR_SECTOR_SIZE)
#define NOR_SLOT_SIZE (64u * NOR_SECTOR_SIZE)

#endif
