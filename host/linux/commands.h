/* otau-host's commands. Each takes the arguments after its name and returns an exit code
 * (enum host_exit). A new mode is one more entry here and in otau_host.c's command table. */
#ifndef OTAU_HOST_COMMANDS_H
#define OTAU_HOST_COMMANDS_H

/* otau-host sha256 --agent <agent.wasm> <file>: the file's SHA-256 computed by the agent. */
int command_sha256(int argc, char **argv);

/* otau-host ed25519 --agent <agent.wasm> <file> [times]: the agent's Ed25519 verdict on the
 * file's signature (64 bytes), public key (32) and message (the rest), computed `times` times. */
int command_ed25519(int argc, char **argv);

/* otau-host boot --agent <agent.wasm> [--flash <image>]: start the agent and run boot(). */
int command_boot(int argc, char **argv);
int command_start(int argc, char **argv);

/* otau-host run --agent <agent.wasm> --flash <image> <cloud options>: the event loop with the
 * cloud and the image fetch; a reset re-executes otau-host through the bootloader. */
int command_run(int argc, char **argv);

#endif /* OTAU_HOST_COMMANDS_H */
