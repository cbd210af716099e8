// The C bootloader's boot decision (host/boot), compiled natively with its boot-decide CLI
// (host/linux/boot_decide_main.c) and run over flash images: one image per call, or
// thousands in one process (--batch).
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import type { AreaGeometry } from "../flash/nor-flash.ts";

const BOOT_DIR = fileURLToPath(new URL("../../host/boot/", import.meta.url));
const BOOT_SOURCES = ["boot_crc32.c", "boot_decision.c", "boot_record.c", "boot_sha256.c", "boot_status.c"];
const CLI_SOURCE = fileURLToPath(new URL("../../host/linux/boot_decide_main.c", import.meta.url));

/** Compiles boot-decide to `output` with the system C compiler (warnings are errors). */
export function compileBootDecide(output: string): void {
  const sources = [...BOOT_SOURCES.map((file) => join(BOOT_DIR, file)), CLI_SOURCE];
  execFileSync("cc", ["-O2", "-Wall", "-Wextra", "-Werror", `-I${BOOT_DIR}`, ...sources, "-o", output]);
}

/** boot-decide's area arguments (offset:size:sector:align:erased) for areas laid out back to back. */
export function areaArguments(layout: ReadonlyArray<AreaGeometry & { offset: number }>): string[] {
  return layout.map((a) => `${a.offset}:${a.size}:${a.sectorSize}:${a.writeAlign}:0x${a.erasedValue.toString(16)}`);
}

export interface CBootDecision {
  /** 0 none, 1 A, 2 B; -1 when the decision failed (see line). */
  slot: number;
  /** SHA-256 (hex) of the whole flash after the record update, when it decided. */
  flashDigest: string | undefined;
  /** The CLI's line, for messages. */
  line: string;
}

const SLOTS: Record<string, number> = { none: 0, A: 1, B: 2 };

/**
 * Decides and applies over each image (areas back to back as `layout` says) in one boot-decide
 * process; with `checks`, through the image check whose answers checkOracle gives.
 */
export function decideBatch(binary: string, layout: ReadonlyArray<AreaGeometry & { offset: number }>, images: Uint8Array[], checks = false): CBootDecision[] {
  const input = Buffer.concat(images);
  const mode = checks ? ["--batch", "--checks"] : ["--batch"];
  const run = spawnSync(binary, [...mode, ...areaArguments(layout)], { input, encoding: "utf8", maxBuffer: 256 * images.length + 4096 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`boot-decide --batch exited ${run.status}: ${run.stderr.trim()}`);
  const lines = run.stdout.split("\n").filter((line) => line !== "");
  if (lines.length !== images.length) throw new Error(`boot-decide --batch answered ${lines.length} lines for ${images.length} images`);
  return lines.map((line) => {
    const slot = /^slot=(none|A|B) /.exec(line)?.[1];
    return { slot: slot === undefined ? -1 : SLOTS[slot], flashDigest: / flash=([0-9a-f]{64})$/.exec(line)?.[1], line };
  });
}

/** The answer boot-decide --batch --checks gives to a slot's image check (host/linux/boot_decide_main.c). */
export interface OracleAnswer {
  /** 0 accepted, else the refusal code. */
  refusal: number;
  /** For an accepted image: 1 when the check verified it against its own hash, 0 when the record's digest decides. */
  checked: number;
}

/**
 * The image check's answers for one flash state, as boot-decide --batch --checks gives them: the
 * first byte of the state's SHA-256 before the decision; bit s-1 refuses slot s (code 20 + s),
 * else bit s+1 says the check verified slot s against the image's own hash.
 */
export function checkOracle(stateDigest: Uint8Array): (slot: number) => OracleAnswer {
  const bits = stateDigest[0];
  return (slot) => (bits & (1 << (slot - 1)) ? { refusal: 20 + slot, checked: 0 } : { refusal: 0, checked: (bits >> (slot + 1)) & 1 });
}
