// otau-sim: the simulator's command line. Each command lives in commands/<name>.ts; this
// file wires them to commander and turns every error into one line and an exit code
// (0 done, 1 the scenario failed, 2 bad arguments or input files).
import { Command, CommanderError } from "commander";
import { registerBridge } from "./commands/bridge.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerFleet } from "./commands/fleet.ts";
import { registerImage } from "./commands/image.ts";
import { registerPack } from "./commands/pack.ts";
import { registerRun } from "./commands/run.ts";
import { registerServe } from "./commands/serve.ts";
import { EXIT_FAILED, EXIT_USAGE, UsageError } from "./commands/usage.ts";

// A reader that goes away (`otau-sim run | head`) ends the run quietly, as other tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

const program = new Command("otau-sim").description("firmware-sim: the OTA agent on simulated devices, with emulated Murano and Kaa clouds on loopback");
// Set before the commands are added: subcommands copy these settings when created.
// Errors are one line: commander's "(Did you mean …?)" hint joins the message.
program.exitOverride().configureOutput({
  outputError: (text, write) => write(`otau-sim: ${text.replace(/^error: /, "").replace(/\n\(Did you mean (.*)\)\n$/, " (did you mean $1)\n")}`),
});
registerDemo(program);
registerRun(program);
registerServe(program);
registerPack(program);
registerImage(program);
registerBridge(program);
registerFleet(program);
program.parseAsync().catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander has printed its one line (or the help); bad usage exits 2.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    return;
  }
  console.error(`otau-sim: ${(error as Error).message}`);
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
});
