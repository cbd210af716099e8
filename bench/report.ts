// What one bench run measured: printed as a table and written to bench/results.json.
import type { Ed25519Cost } from "./ed25519.ts";
import { writeFileSync } from "node:fs";
import type { BoardReport } from "./board-report.ts";
import type { InstructionsPerByte } from "./callgrind.ts";
import type { Throughput } from "./throughput.ts";

export interface NotMeasured {
  notMeasured: string;
}

export interface BenchResults {
  timestamp: string;
  machine: { cpu: string; cores: number; os: string; node: string };
  throughput: {
    input: { pattern: string; bytes: number; sha256: string };
    repetitions: number;
    agentV8: Throughput;
    nodeCrypto: Throughput;
    cReference: Throughput;
    /** Throughput ratios: below 1 means the agent is slower. */
    agentOverC: number;
    agentOverNode: number;
  };
  instructions: {
    wasm3Host: InstructionsPerByte | NotMeasured;
    /** The same agent and host with the sha256_native import (docs/abi.md "Accelerators"). */
    wasm3HostNativeSha256: InstructionsPerByte | NotMeasured;
    /** otau-host with agent.wasm translated ahead of time (build/host-aot/, OTAU_RUNTIME=aot). */
    aotHost: InstructionsPerByte | NotMeasured;
    cReference: InstructionsPerByte;
    /** How many times the C reference's instructions per byte the wasm3 host runs. */
    wasm3OverC: number | null;
  };
  agentWasmBytes: number;
  /** build/boot_verifier.wasm: the bootloader's image check before wasm2c translates it. */
  bootVerifierWasmBytes: number;
  /** One Ed25519 verification in the agent (bench/ed25519.ts). */
  ed25519: Ed25519Cost;
  /** The QEMU Cortex-M4 board's bring-up report (bench/board-report.ts). */
  qemuBoard: BoardReport | NotMeasured;
}

const MIB = 1024 * 1024;

const row = (label: string, value: string): string => `  ${label.padEnd(36)}${value}`;
const mbps = (throughput: Throughput): string => `${throughput.mbPerSecond.toFixed(1).padStart(8)} MB/s`;
const perByte = (measured: InstructionsPerByte | NotMeasured): string =>
  "notMeasured" in measured ? measured.notMeasured : `${measured.perByte.toFixed(1).padStart(8)} instructions/byte`;
const sizeLabel = (bytes: number): string => (bytes >= MIB ? `${bytes / MIB} MiB` : `${bytes / 1024} KiB`);

export function formatTable(results: BenchResults): string {
  const { throughput, instructions, machine } = results;
  const sizes = instructions.cReference.sizes;
  return [
    `otau bench, ${results.timestamp}`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}`,
    "",
    `SHA-256 throughput on ${sizeLabel(throughput.input.bytes)} of pattern data, best of ${throughput.repetitions} (1 MB = 10^6 bytes)`,
    row("agent.wasm under V8", mbps(throughput.agentV8)),
    row("node:crypto (OpenSSL)", mbps(throughput.nodeCrypto)),
    row("C reference (cc -O2, scalar)", mbps(throughput.cReference)),
    row("agent / C reference", `${throughput.agentOverC.toFixed(2).padStart(8)}x`),
    row("agent / node:crypto", `${throughput.agentOverNode.toFixed(2).padStart(8)}x`),
    "",
    `Instructions per byte under callgrind (${sizeLabel(sizes[1])} run minus ${sizeLabel(sizes[0])} run)`,
    row("agent.wasm under wasm3 (otau-host)", perByte(instructions.wasm3Host)),
    row("  with the native SHA-256 import", perByte(instructions.wasm3HostNativeSha256)),
    row("agent.wasm translated (otau-host aot)", perByte(instructions.aotHost)),
    row("C reference", perByte(instructions.cReference)),
    row("wasm3 / C reference", instructions.wasm3OverC === null ? "     n/a" : `${instructions.wasm3OverC.toFixed(2).padStart(8)}x`),
    "",
    row("build/agent.wasm (release)", `${String(results.agentWasmBytes).padStart(8)} bytes`),
    row("build/boot_verifier.wasm", `${String(results.bootVerifierWasmBytes).padStart(8)} bytes`),
    "",
    "One Ed25519 verification in the agent (RFC 8032 TEST SHA(abc))",
    row("under wasm3 (otau-host, callgrind)", typeof results.ed25519.wasm3InstructionsPerVerification === "number"
      ? `${(results.ed25519.wasm3InstructionsPerVerification / 1e6).toFixed(1).padStart(8)} M instructions` : results.ed25519.wasm3InstructionsPerVerification),
    row("translated by wasm2c (boot-verify)", typeof results.ed25519.translatedInstructionsPerVerification === "number"
      ? `${(results.ed25519.translatedInstructionsPerVerification / 1e6).toFixed(1).padStart(8)} M instructions` : results.ed25519.translatedInstructionsPerVerification),
    row("under V8", `${results.ed25519.v8MicrosecondsPerVerification.toFixed(0).padStart(8)} µs`),
    "",
    ..."lines" in results.qemuBoard ? results.qemuBoard.lines : [`QEMU board: not measured (${results.qemuBoard.notMeasured})`],
  ].join("\n");
}

export function writeResults(path: string, results: BenchResults): void {
  writeFileSync(path, JSON.stringify(results, null, 2) + "\n");
}
