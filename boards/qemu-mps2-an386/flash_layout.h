/*
 * The emulated NOR part in the board's PSRAM (0x21000000, 16 MiB; QEMU backs it with a file so
 * that it keeps its contents across resets and runs): 4 KiB sectors, 4-byte program unit,
 * erased to 0xFF. Area 0 holds the boot record (two copies and two journal pages,
 * docs/boot-record.md); slots A and B hold one MCUboot image each (slot_image.h); area 3, the
 * trust store (docs/boot-record.md "Trust store"), the keys images must be signed with, written
 * at the factory (firmware-sim/bridge/qemu-board.ts provisionFlash); and an application runs in
 * place from its slot: its body is linked for the slot's address plus the image header
 * (app.ld.S includes this file, so the numbers below stay free of C-only syntax).
 */
#ifndef FLASH_LAYOUT_H
#define FLASH_LAYOUT_H

#define NOR_SECTOR_SIZE 4096
#define NOR_WRITE_ALIGN 4
#define NOR_ERASED_VALUE 0xFF

#define NOR_BASE 0x21000000
#define NOR_PART_SIZE 0x1000000
#define NOR_BOOT_RECORD_ADDRESS NOR_BASE
#define NOR_BOOT_RECORD_SIZE (4 * NOR_SECTOR_SIZE)
#define NOR_SLOT_SIZE (64 * NOR_SECTOR_SIZE)
#define NOR_SLOT_A_ADDRESS (NOR_BASE + 0x40000)
#define NOR_SLOT_B_ADDRESS (NOR_BASE + 0x80000)
/* imgtool sign --header-size: the body's vector table keeps the 512-byte alignment VTOR needs. */
#define NOR_IMAGE_HEADER_SIZE 0x200
#define NOR_TRUST_STORE_ADDRESS (NOR_BASE + 0xC0000)
#define NOR_TRUST_STORE_SIZE (2 * NOR_SECTOR_SIZE)

#endif
