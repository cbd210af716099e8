/* What the application's start-up (app_startup.c) offers its main loop. */
#ifndef APP_STARTUP_H
#define APP_STARTUP_H

/* Sleeps (wfi) until the next interrupt: a received byte, or SysTick's next millisecond. */
void app_sleep(void);

#endif
