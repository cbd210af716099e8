/* Outcomes of the bootloader's storage calls: the same numbers as the agent's
 * StorageStatus (assembly/storage/status.ts), so both sides report a state alike. */
#ifndef BOOT_STATUS_H
#define BOOT_STATUS_H

enum boot_status {
    BOOT_OK = 0,
    BOOT_FLASH_NO_SUCH_AREA = -1,
    BOOT_FLASH_OUT_OF_RANGE = -2,
    BOOT_FLASH_MISALIGNED = -3,
    BOOT_FLASH_NOT_ERASED = -4,
    BOOT_FLASH_DEVICE_ERROR = -5,
    BOOT_FLASH_UNKNOWN_ERROR = -6,
    BOOT_AREA_SIZE_INVALID = -10,
    BOOT_SECTOR_SIZE_INVALID = -11,
    BOOT_WRITE_ALIGNMENT_INVALID = -12,
    BOOT_ERASED_VALUE_INVALID = -13,
    BOOT_AREA_TOO_SMALL = -14,
    BOOT_READ_BACK_MISMATCH = -26,
    BOOT_NO_RECORD = -30,
};

const char *boot_status_name(int status);
/* A boot_flash function's result as a status: BOOT_OK, its own code (-1 to -5), or
 * BOOT_FLASH_UNKNOWN_ERROR for any other. */
int boot_flash_status(int code);

#endif
