// The plain C SHA-256 (host/boot/boot_sha256.c, driven by bench/sha256_ref.c): built here with `cc -O2`, checked against
// node:crypto at the block-boundary lengths, then timed on the bench pattern.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BenchFailure, expectDigest } from "./bench-failure.ts";
import { benchPattern } from "./pattern.ts";

// Lengths around SHA-256's 64-byte block and its 56-byte padding limit.
const CHECK_LENGTHS = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537];

export function buildReference(root: string): string {
  const outDir = join(root, "build", "bench");
  const binary = join(outDir, "sha256_ref");
  mkdirSync(outDir, { recursive: true });
  const cc = spawnSync("cc", ["-O2", "-Wall", "-Wextra", "-I", join(root, "host", "boot"), "-o", binary, join(root, "bench", "sha256_ref.c"), join(root, "host", "boot", "boot_sha256.c")], { encoding: "utf8" });
  if (cc.error) throw new BenchFailure(`cannot run cc to build the C reference: ${cc.error.message}`);
  if (cc.status !== 0) throw new BenchFailure(`cc failed on bench/sha256_ref.c: ${cc.stderr.trim().split("\n")[0]}`);
  return binary;
}

/** Runs the reference on files and on in-memory patterns of awkward lengths; any mismatch fails the bench. */
export function checkReference(binary: string, scratchDir: string): void {
  const file = join(scratchDir, "reference-check.bin");
  for (const length of CHECK_LENGTHS) {
    const data = benchPattern(length);
    const expected = createHash("sha256").update(data).digest("hex");
    writeFileSync(file, data);
    expectDigest(`the C reference on a ${length}-byte file`, hashFile(binary, file), expected);
    expectDigest(`the C reference on ${length} pattern bytes`, hashPattern(binary, length).digest, expected);
  }
}

export function hashFile(binary: string, path: string): string {
  return execFileSync(binary, [path], { encoding: "utf8" }).trim();
}

/** Hashes `size` pattern bytes in the C process; `seconds` is its own clock around the hash alone. */
export function hashPattern(binary: string, size: number): { digest: string; seconds: number } {
  const output = execFileSync(binary, ["--bytes", String(size)], { encoding: "utf8" });
  const match = /^([0-9a-f]{64})\nhash_ns (\d+)\n$/.exec(output);
  if (!match) throw new BenchFailure(`the C reference printed something unexpected: ${JSON.stringify(output.slice(0, 120))}`);
  return { digest: match[1], seconds: Number(match[2]) / 1e9 };
}
