#ifndef RAM_FLASH_SELFTEST_H
#define RAM_FLASH_SELFTEST_H

/* Runs every check on an erased part, leaves it erased; returns the number that failed. */
unsigned ram_flash_selftest(void);

#endif
