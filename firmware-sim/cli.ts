// otau-sim: the simulator's command line. For now its `demo` hashes one sample image
// with the same agent.wasm under Node and under the wasm3 host and shows they agree;
// the cloud and device demo replaces it once the emulators land.
import { Command, CommanderError } from "commander";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentInstance, DEFAULT_AGENT_PATH } from "./agent/agent-instance.ts";
import { registerRun } from "./commands/run.ts";
import { EXIT_FAILED, EXIT_USAGE, UsageError } from "./commands/usage.ts";

const OTAU_HOST = fileURLToPath(new URL("../build/host/otau-host", import.meta.url));

async function demo(sizeBytes: number): Promise<number> {
  for (const [path, build] of [[DEFAULT_AGENT_PATH, "npm run build:agent"], [OTAU_HOST, "npm run build:host"]]) {
    if (!existsSync(path)) {
      console.error(`otau-sim: ${path} is missing; run ${build}`);
      return 1;
    }
  }
  const image = createHash("sha256").update("otau sample image").digest();
  const sample = Buffer.alloc(sizeBytes);
  for (let at = 0; at < sizeBytes; at += image.length) image.copy(sample, at);
  const dir = mkdtempSync(join(tmpdir(), "otau-sim-"));
  try {
    const file = join(dir, "sample-image.bin");
    writeFileSync(file, sample);
    const expected = createHash("sha256").update(sample).digest("hex");
    const agent = await AgentInstance.load();
    const underNode = agent.sha256(sample).toString("hex");
    const underWasm3 = execFileSync(OTAU_HOST, ["sha256", "--agent", DEFAULT_AGENT_PATH, file], { encoding: "utf8" }).trim();
    console.log(`sample image: ${sizeBytes} bytes`);
    console.log(`  agent.wasm under Node (V8):   ${underNode}`);
    console.log(`  agent.wasm under wasm3 (C):   ${underWasm3}`);
    console.log(`  node:crypto:                  ${expected}`);
    const agree = underNode === expected && underWasm3 === expected;
    console.log(agree ? "both runtimes agree with node:crypto" : "MISMATCH between runtimes");
    return agree ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A reader that goes away (`otau-sim run | head`) ends the run quietly, as other tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

const program = new Command("otau-sim").description("firmware-sim: the OTA agent in a simulator");
// Set before the commands are added: subcommands copy these settings when created.
// Errors are one line: commander's "(Did you mean …?)" hint joins the message.
program.exitOverride().configureOutput({
  outputError: (text, write) => write(`otau-sim: ${text.replace(/^error: /, "").replace(/\n\(Did you mean (.*)\)\n$/, " (did you mean $1)\n")}`),
});
program
  .command("demo")
  .description("run the same agent.wasm under Node and under the wasm3 host on a sample image")
  .option("--size <bytes>", "sample image size", "1048576")
  .action(async (options: { size: string }) => {
    const size = Number(options.size);
    if (!Number.isInteger(size) || size < 0 || size > 64 * 1024 * 1024) {
      console.error(`otau-sim: --size must be a whole number of bytes up to 64 MiB, not "${options.size}"`);
      process.exitCode = 2;
      return;
    }
    process.exitCode = await demo(size);
  });
registerRun(program);
program.parseAsync().catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander has printed its one line (or the help); bad usage exits 2.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    return;
  }
  console.error(`otau-sim: ${(error as Error).message}`);
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
});
