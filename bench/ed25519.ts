// The cost of one Ed25519 verification in the agent (crypto/ed25519.ts): instructions under
// callgrind of the wasm3 host (`otau-host ed25519`, 11 verifications minus 1, over 10, so
// start-up cancels out), of the same code translated to C for the bootloader (`boot-verify
// ed25519`, the same difference) and the time under V8, on an RFC 8032 vector that must verify.
// The QEMU board's figures (Cortex-M4) come with its bring-up report.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgentInstance } from "../firmware-sim/agent/agent-instance.ts";
import { BenchFailure } from "./bench-failure.ts";
import { wasm3HostBuilt, wasm3HostPath } from "./wasm3-host.ts";

// RFC 8032 7.1 TEST SHA(abc): a 64-byte message, as long as the hash MCUboot's ed25519 signs is twice.
const KEY = "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf";
const MESSAGE = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
const SIGNATURE = "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704";
const RUNS: [number, number] = [1, 11];

export interface Ed25519Cost {
  /** x86-64 instructions per verification of agent.wasm under wasm3 (otau-host), or why not measured. */
  wasm3InstructionsPerVerification: number | string;
  /** x86-64 instructions per verification of the bootloader's translation (boot-verify), or why not measured. */
  translatedInstructionsPerVerification: number | string;
  v8MicrosecondsPerVerification: number;
}

function callgrindInstructions(root: string, agentPath: string, input: string, times: number, outFile: string): number {
  const run = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${outFile}`, wasm3HostPath(root), "ed25519", "--agent", agentPath, input, String(times)], { encoding: "utf8" });
  if (run.error) throw new BenchFailure(`cannot run valgrind: ${run.error.message}`);
  if (run.status !== 0 || run.stdout.trim() !== "valid") throw new BenchFailure(`otau-host ed25519 under callgrind: status ${run.status}, printed "${run.stdout.trim()}"`);
  return callgrindTotal(outFile);
}

/** boot-verify over `times` copies of the case, one line each. */
function callgrindTranslated(bootVerify: string, line: string, times: number, outFile: string): number {
  const run = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${outFile}`, bootVerify, "ed25519"], { input: line.repeat(times), encoding: "utf8" });
  if (run.error) throw new BenchFailure(`cannot run valgrind: ${run.error.message}`);
  const verdicts = run.stdout.trim().split("\n");
  if (run.status !== 0 || verdicts.length !== times || verdicts.some((v) => v !== "valid")) throw new BenchFailure(`boot-verify under callgrind: status ${run.status}, printed "${run.stdout.trim()}"`);
  return callgrindTotal(outFile);
}

function callgrindTotal(outFile: string): number {
  const totals = /^(?:totals|summary): (\d+)$/m.exec(readFileSync(outFile, "utf8"));
  if (!totals) throw new BenchFailure(`callgrind wrote no instruction total in ${outFile}`);
  return Number(totals[1]);
}

export async function ed25519Cost(root: string, agentPath: string, scratchDir: string): Promise<Ed25519Cost> {
  const signature = Buffer.from(SIGNATURE, "hex");
  const key = Buffer.from(KEY, "hex");
  const message = Buffer.from(MESSAGE, "hex");
  const agent = await AgentInstance.load({}, agentPath);
  if (!agent.ed25519Verify(signature, key, message)) throw new BenchFailure("the agent does not verify RFC 8032 TEST SHA(abc)");
  const count = 200;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) agent.ed25519Verify(signature, key, message);
  const v8MicrosecondsPerVerification = Number(process.hrtime.bigint() - started) / 1000 / count;

  const bootVerify = join(root, "build", "host", "boot-verify");
  const outFile = join(scratchDir, "callgrind-ed25519.out");
  let translatedInstructionsPerVerification: number | string = "not measured (boot-verify not built)";
  if (existsSync(bootVerify)) {
    const line = `${SIGNATURE} ${KEY} ${MESSAGE}\n`;
    const [few, many] = RUNS.map((times) => callgrindTranslated(bootVerify, line, times, outFile));
    translatedInstructionsPerVerification = Math.round((many - few) / (RUNS[1] - RUNS[0]));
  }
  if (!wasm3HostBuilt(root)) {
    return { wasm3InstructionsPerVerification: "not measured (otau-host not built)", translatedInstructionsPerVerification, v8MicrosecondsPerVerification };
  }
  const input = join(scratchDir, "ed25519-case.bin");
  writeFileSync(input, Buffer.concat([signature, key, message]));
  const [few, many] = RUNS.map((times) => callgrindInstructions(root, agentPath, input, times, outFile));
  return { wasm3InstructionsPerVerification: Math.round((many - few) / (RUNS[1] - RUNS[0])), translatedInstructionsPerVerification, v8MicrosecondsPerVerification };
}
