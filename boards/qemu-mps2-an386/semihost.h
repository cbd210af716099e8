/*
 * ARM semihosting (BKPT 0xAB) called directly: the console, host files, the command line
 * and the exit status, without newlib's rdimon and stdio layers. QEMU answers the calls
 * (-semihosting-config enable=on,target=native); file names are relative to its working
 * directory.
 */
#ifndef SEMIHOST_H
#define SEMIHOST_H

#include <stdint.h>

/* printf-style line to the console: cortexm_format.h lists the conversions. */
void console_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* A host file opened for reading: a handle >= 0, or -1. */
int32_t semihost_open(const char *path);
void semihost_close(int32_t handle);
/* Reads up to `len` bytes at the current position; returns the count read (0 at the end) or -1. */
int32_t semihost_read(int32_t handle, uint8_t *dst, uint32_t len);
/* Moves to byte `offset` from the start; 0 on success. */
int32_t semihost_seek(int32_t handle, uint32_t offset);
/* The file's length, or -1. */
int32_t semihost_file_length(int32_t handle);

/* The arguments QEMU passes (-semihosting-config ...,arg=...), split at spaces in place into
 * at most `max` words; returns the count. */
int semihost_arguments(char *buffer, uint32_t size, char **argv, int max);

/* Ends the emulation; QEMU exits with `status`. */
__attribute__((noreturn)) void semihost_exit(int status);

#endif
