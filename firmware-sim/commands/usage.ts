// What every otau-sim command shares for bad input: an error that the CLI prints as one
// line (never a stack trace) with exit code 2, and readers that turn file and number
// problems into such errors naming the option and the value.
import { readFileSync } from "node:fs";

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Bad arguments or input files: one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function readInputFile(option: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new UsageError(`${option} ${path}: ${reason}`);
  }
}

export function readJsonFile(option: string, path: string): unknown {
  try {
    return JSON.parse(readInputFile(option, path).toString("utf8"));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${option} ${path} is not JSON: ${(error as Error).message}`);
  }
}

export function parseWholeNumber(option: string, text: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${option} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

/** A firmware version as images carry it: 1 to 64 bytes of UTF-8. */
export function checkVersion(option: string, version: string): string {
  const length = Buffer.byteLength(version, "utf8");
  if (length === 0 || length > 64) throw new UsageError(`${option} must be 1 to 64 bytes, got ${length}`);
  return version;
}

/** A PEM key file read with `read`; a file that is not such a key is one UsageError naming the option. */
export function readKeyFile<T>(option: string, path: string, read: (pem: Buffer) => T): T {
  const pem = readInputFile(option, path);
  try {
    return read(pem);
  } catch (error) {
    throw new UsageError(`${option} ${path}: not an Ed25519 key in PEM (${(error as Error).message})`);
  }
}

export type Slot = "A" | "B";

/** "A=<x>,B=<y>" (either order) into both values. */
export function slotPair(option: string, text: string): Record<Slot, string> {
  const pairs = text.split(",").map((part) => part.split("="));
  const value = (slot: Slot) => pairs.find((pair) => pair.length === 2 && pair[0].trim() === slot)?.[1].trim();
  const a = value("A"), b = value("B");
  if (pairs.length !== 2 || !a || !b) throw new UsageError(`${option} must be A=<…>,B=<…>, got "${text}"`);
  return { A: a, B: b };
}

/** A flash address: hexadecimal after 0x, or decimal; below 4 GiB. */
export function parseAddress(option: string, text: string): number {
  const value = /^0x[0-9a-f]{1,8}$/i.test(text) ? Number.parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 0 && value <= 0xffffffff)) throw new UsageError(`${option}: "${text}" is not an address (0x… or decimal, below 4 GiB)`);
  return value;
}
