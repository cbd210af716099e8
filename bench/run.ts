// `npm run bench`: SHA-256 of the agent under V8, node:crypto and a plain C reference on
// the same 64 MiB; instructions per byte of the wasm3 host and the C reference under
// callgrind; the release agent.wasm size; the QEMU board's footprint and per-byte cost. Prints a table, writes bench/results.json,
// and fails (exit 1) if any digest differs from node:crypto's.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, platform, release, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentInstance } from "../firmware-sim/agent/agent-instance.ts";
import { BenchFailure } from "./bench-failure.ts";
import { qemuBoardReport } from "./board-report.ts";
import { buildReference, checkReference, hashPattern } from "./c-reference.ts";
import { ed25519Cost } from "./ed25519.ts";
import { instructionsPerByte, type PatternFile } from "./callgrind.ts";
import { benchPattern } from "./pattern.ts";
import { formatTable, writeResults, type BenchResults } from "./report.ts";
import { bestOfInterleaved, timedHere } from "./throughput.ts";
import { aotHostPath, buildNativeHost, wasm3HashCommand, wasm3HostBuilt, wasm3HostPath } from "./wasm3-host.ts";

const MIB = 1024 * 1024;
const THROUGHPUT_BYTES = 64 * MIB;
const REPETITIONS = 3;
// Callgrind runs wasm3 ~50x slower than native: small inputs, and their difference
// (768 KiB) is what counts.
const CALLGRIND_SIZES: [number, number] = [256 * 1024, 1 * MIB];

const root = fileURLToPath(new URL("..", import.meta.url));
const agentPath = join(root, "build", "agent.wasm");

const progress = (step: string): void => void process.stderr.write(`bench: ${step}\n`);
const nodeSha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

async function measure(scratchDir: string): Promise<BenchResults> {
  if (!existsSync(agentPath)) throw new BenchFailure("build/agent.wasm is missing: run `npm run build:agent` first");

  progress("building and checking the C reference");
  const reference = buildReference(root);
  checkReference(reference, scratchDir);

  const data = benchPattern(THROUGHPUT_BYTES);
  const dataSha256 = nodeSha256(data);
  const agent = await AgentInstance.load({}, agentPath);

  progress(`timing SHA-256 of ${THROUGHPUT_BYTES / MIB} MiB, best of ${REPETITIONS}`);
  const throughput = bestOfInterleaved(
    [
      { key: "agentV8", name: "agent.wasm under V8", hash: () => timedHere(() => agent.sha256(data).toString("hex")) },
      { key: "nodeCrypto", name: "node:crypto", hash: () => timedHere(() => nodeSha256(data)) },
      { key: "cReference", name: "the C reference", hash: () => hashPattern(reference, THROUGHPUT_BYTES) },
    ],
    REPETITIONS,
    THROUGHPUT_BYTES,
    dataSha256,
  );

  // The bench pattern is one stream, so a shorter pattern is a prefix of the long one.
  const inputs = CALLGRIND_SIZES.map((size): PatternFile => {
    const path = join(scratchDir, `pattern-${size}.bin`);
    const bytes = data.subarray(0, size);
    writeFileSync(path, bytes);
    return { path, size, sha256: nodeSha256(bytes) };
  }) as [PatternFile, PatternFile];
  const callgrindOut = join(scratchDir, "callgrind.out");

  progress("counting the C reference's instructions under callgrind");
  const cInstructions = instructionsPerByte("the C reference", (path) => ({ binary: reference, args: [path] }), inputs, callgrindOut);

  let wasm3Instructions: BenchResults["instructions"]["wasm3Host"];
  let wasm3NativeInstructions: BenchResults["instructions"]["wasm3HostNativeSha256"];
  let aotInstructions: BenchResults["instructions"]["aotHost"];
  if (wasm3HostBuilt(root)) {
    progress("counting the wasm3 host's instructions under callgrind (the slow part)");
    wasm3Instructions = instructionsPerByte("otau-host", (path) => wasm3HashCommand(root, agentPath, path), inputs, callgrindOut);
    progress("building otau-host with the native SHA-256 import and counting its instructions");
    const nativeHost = buildNativeHost(root);
    wasm3NativeInstructions = instructionsPerByte("otau-host (native SHA-256)", (path) => wasm3HashCommand(root, agentPath, path, nativeHost), inputs, callgrindOut);
    progress("counting the instructions of otau-host with the agent translated ahead of time");
    aotInstructions = instructionsPerByte("otau-host (aot)", (path) => wasm3HashCommand(root, agentPath, path, aotHostPath(root)), inputs, callgrindOut);
  } else {
    wasm3Instructions = { notMeasured: `not built (${relative(root, wasm3HostPath(root))} is missing: npm run build:host)` };
    wasm3NativeInstructions = wasm3Instructions;
    aotInstructions = wasm3Instructions;
  }

  progress("counting the instructions of one Ed25519 verification under wasm3 (callgrind)");
  const ed25519 = await ed25519Cost(root, agentPath, scratchDir);

  progress("running the QEMU board's bring-up for its footprint and instructions per byte");
  const board = qemuBoardReport(root);

  return {
    timestamp: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, os: `${platform()} ${release()}`, node: process.version },
    throughput: {
      input: { pattern: "xorshift32 (bench/pattern.ts)", bytes: THROUGHPUT_BYTES, sha256: dataSha256 },
      repetitions: REPETITIONS,
      agentV8: throughput.agentV8,
      nodeCrypto: throughput.nodeCrypto,
      cReference: throughput.cReference,
      agentOverC: throughput.agentV8.mbPerSecond / throughput.cReference.mbPerSecond,
      agentOverNode: throughput.agentV8.mbPerSecond / throughput.nodeCrypto.mbPerSecond,
    },
    instructions: {
      wasm3Host: wasm3Instructions,
      wasm3HostNativeSha256: wasm3NativeInstructions,
      aotHost: aotInstructions,
      cReference: cInstructions,
      wasm3OverC: "perByte" in wasm3Instructions ? wasm3Instructions.perByte / cInstructions.perByte : null,
    },
    agentWasmBytes: statSync(agentPath).size,
    bootVerifierWasmBytes: statSync(join(root, "build", "boot_verifier.wasm")).size,
    ed25519,
    qemuBoard: board,
  };
}

async function main(): Promise<void> {
  const scratchDir = mkdtempSync(join(tmpdir(), "otau-bench-"));
  try {
    const results = await measure(scratchDir);
    console.log(formatTable(results));
    writeResults(join(root, "bench", "results.json"), results);
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
