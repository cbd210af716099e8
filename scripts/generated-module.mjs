// What the generators of build/generated/*.ts share: byte strings laid back to back for an
// AssemblyScript `memory.data`, writing the module, and one clear line when generation fails.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** build/generated/<name>. */
export function generatedPath(name) {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "build", "generated", name);
}

/** The buffers back to back as a list of byte values, and the offsets: buffer i is bytes[offsets[i] .. offsets[i + 1]). */
export function backToBack(buffers) {
  const offsets = [0];
  for (const bytes of buffers) offsets.push(offsets[offsets.length - 1] + bytes.length);
  return { bytes: [...Buffer.concat(buffers)], offsets };
}

/** Writes the module's lines to `path`, creating its folder. */
export function writeModule(path, lines) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [...lines, ""].join("\n"));
}

/** Runs `main`; a failure prints one line naming the generator and exits 1. */
export function runGenerator(name, main) {
  try {
    main();
  } catch (error) {
    console.error(`${name}: ${error.message}`);
    process.exit(1);
  }
}
