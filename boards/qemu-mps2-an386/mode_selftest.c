#include "bench_modes.h"
#include "board.h"
#include "ram_flash_selftest.h"
#include "semihost.h"

int mode_selftest(void)
{
    unsigned failed = ram_flash_selftest();
    console_printf("flash self-test: %u check(s) failed\n", failed);
    return failed ? BOARD_EXIT_FAILED : BOARD_EXIT_OK;
}
