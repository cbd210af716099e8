/*
 * The nRF52840's 1 MiB of internal flash: 256 pages of 4 KiB, erased to 0xFF, programmed a
 * 32-bit word at a time.
 *
 *   0x00000000  firmware (this build: vectors, bootloader decision, wasm3, agent)  128 KiB
 *   0x00020000  boot record (area 0: two copies, two journal pages)              16 KiB
 *   0x00024000  slot A (area 1)                                                 440 KiB
 *   0x00092000  slot B (area 2)                                                 440 KiB
 *   0x00100000  end
 *
 * nrf52840.ld keeps the firmware below FIRMWARE_SIZE, so it cannot run into area 0.
 */
#ifndef FLASH_LAYOUT_H
#define FLASH_LAYOUT_H

#define NRF_FLASH_PAGE_SIZE 4096u
#define NRF_FLASH_WORD 4u
#define NRF_FLASH_ERASED_VALUE 0xFFu

#define FIRMWARE_SIZE (32u * NRF_FLASH_PAGE_SIZE)
#define BOOT_RECORD_ADDRESS FIRMWARE_SIZE
#define BOOT_RECORD_SIZE (4u * NRF_FLASH_PAGE_SIZE)
#define SLOT_A_ADDRESS (BOOT_RECORD_ADDRESS + BOOT_RECORD_SIZE)
#define SLOT_SIZE (110u * NRF_FLASH_PAGE_SIZE)
#define SLOT_B_ADDRESS (SLOT_A_ADDRESS + SLOT_SIZE)

#endif
