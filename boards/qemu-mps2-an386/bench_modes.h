/* The bring-up firmware's modes (main.c picks one from QEMU's semihosting arguments). */
#ifndef BENCH_MODES_H
#define BENCH_MODES_H

/* The flash driver's NOR rules. */
int mode_selftest(void);
/* Agent start-up, its SHA-256 of known vectors, and the hashing measurements. */
int mode_smoke(void);
/* Power on with <factory image> (1.0.0) in slot A, deliver <config> at every start of the
 * agent, download <image>, install, reset into the trial, confirm; BOARD_EXIT_OK when the
 * bootloader then starts slot B and it holds exactly <image>. */
int mode_update(const char *config_path, const char *image_path, const char *factory_path);

#endif
