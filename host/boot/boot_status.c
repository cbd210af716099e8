#include "boot_status.h"

const char *boot_status_name(int status)
{
    switch (status) {
    case BOOT_OK: return "ok";
    case BOOT_FLASH_NO_SUCH_AREA: return "flash: no such area";
    case BOOT_FLASH_OUT_OF_RANGE: return "flash: out of range";
    case BOOT_FLASH_MISALIGNED: return "flash: misaligned";
    case BOOT_FLASH_NOT_ERASED: return "flash: target not erased";
    case BOOT_FLASH_DEVICE_ERROR: return "flash: device error";
    case BOOT_FLASH_UNKNOWN_ERROR: return "flash: unknown error code";
    case BOOT_AREA_SIZE_INVALID: return "area size is not a whole number of sectors";
    case BOOT_SECTOR_SIZE_INVALID: return "sector size is not a multiple of the write alignment";
    case BOOT_WRITE_ALIGNMENT_INVALID: return "write alignment is not a power of two up to 32";
    case BOOT_ERASED_VALUE_INVALID: return "erased value is neither 0xFF nor 0x00";
    case BOOT_AREA_TOO_SMALL: return "boot-record area too small for two copies and a journal";
    case BOOT_READ_BACK_MISMATCH: return "flash read back differs from what was written";
    case BOOT_NO_RECORD: return "no valid boot record";
    }
    return "unknown status";
}

int boot_flash_status(int code)
{
    if (code == 0) return BOOT_OK;
    if (code <= BOOT_FLASH_NO_SUCH_AREA && code >= BOOT_FLASH_DEVICE_ERROR) return code;
    return BOOT_FLASH_UNKNOWN_ERROR;
}
