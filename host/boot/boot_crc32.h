/* CRC-32 (IEEE 802.3, reflected 0xEDB88320, init/final 0xFFFFFFFF): guards boot-record copies. */
#ifndef BOOT_CRC32_H
#define BOOT_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t boot_crc32(const void *data, size_t len);

#endif
