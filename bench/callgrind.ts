// Instruction counts under callgrind: deterministic, unlike wall time, and comparable
// between the wasm3 host and the C reference on the same machine.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { BenchFailure, expectDigest } from "./bench-failure.ts";

export interface HashCommand {
  binary: string;
  args: string[];
}

/** One input file of the bench pattern, with node:crypto's digest of it. */
export interface PatternFile {
  path: string;
  size: number;
  sha256: string;
}

export interface InstructionsPerByte {
  sizes: number[];
  instructions: number[];
  perByte: number;
}

function countInstructions(what: string, command: HashCommand, outFile: string): { instructions: number; stdout: string } {
  const run = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${outFile}`, command.binary, ...command.args], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.error) throw new BenchFailure(`cannot run valgrind: ${run.error.message}`);
  if (run.status !== 0) {
    const lastLine = run.stderr.trim().split("\n").filter((line) => !line.startsWith("==")).pop() ?? "";
    throw new BenchFailure(`${what} exited with status ${run.status} under callgrind: ${lastLine}`);
  }
  const totals = /^(?:totals|summary): (\d+)$/m.exec(readFileSync(outFile, "utf8"));
  if (!totals) throw new BenchFailure(`callgrind wrote no instruction total for ${what} in ${outFile}`);
  return { instructions: Number(totals[1]), stdout: run.stdout };
}

/**
 * Instructions per byte from two input sizes: start-up (loading, compiling the module,
 * printing) costs the same in both runs, so the difference is the cost of the extra bytes.
 */
export function instructionsPerByte(
  what: string,
  commandFor: (inputPath: string) => HashCommand,
  inputs: [PatternFile, PatternFile],
  outFile: string,
): InstructionsPerByte {
  const instructions = inputs.map((input) => {
    const { instructions, stdout } = countInstructions(what, commandFor(input.path), outFile);
    const printed = /\b[0-9a-f]{64}\b/.exec(stdout)?.[0] ?? "";
    expectDigest(`${what} on ${input.size} bytes under callgrind`, printed, input.sha256);
    return instructions;
  });
  const [small, large] = inputs;
  return {
    sizes: inputs.map((input) => input.size),
    instructions,
    perByte: (instructions[1] - instructions[0]) / (large.size - small.size),
  };
}
