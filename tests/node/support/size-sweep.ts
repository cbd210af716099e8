// The image-size sweep: complete updates through the agent whose file sizes fall in every
// residue class modulo the slot's sector size, over every write alignment and erased value,
// as one FILE and as a URL_LIST of several files. A file's end then lands at every position
// in a sector, including just past a sector boundary with part of a write unit still
// waiting to be programmed (sizes 4097–4099 with 4 KiB sectors and 4-byte writes).
import type { ErasedValue } from "../../../firmware-sim/flash/nor-flash.ts";
import { NorFlash } from "../../../firmware-sim/flash/nor-flash.ts";
import { ConfigSource, Device, image, sha256Hex } from "./engine-device.ts";

export const WRITE_ALIGNMENTS = [1, 4, 8, 16] as const;
export const ERASED_VALUES: readonly ErasedValue[] = [0xff, 0x00];

export interface SweepCase {
  sector: number;
  writeAlign: number;
  erasedValue: ErasedValue;
  /** Sizes of the files, in order: one entry is a FILE config, more a URL_LIST. */
  sizes: number[];
}

/** File sizes for residue `r` (0 ≤ r < sector): one file, or three with that residue at different sector counts. */
export function sizesFor(sector: number, residue: number, files: 1 | 3): number[] {
  if (files === 1) return [sector + residue];
  return [sector + residue, residue === 0 ? 2 * sector : residue, 2 * sector + residue];
}

/** Slot B holds the files back to back, each but the last rounded up to whole sectors. */
function expectedSlot(sector: number, bodies: Uint8Array[], erased: number): { bytes: Uint8Array; length: number } {
  const spans = bodies.map((b, i) => (i + 1 < bodies.length ? Math.ceil(b.length / sector) * sector : b.length));
  const length = spans.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(length).fill(erased);
  let at = 0;
  bodies.forEach((b, i) => {
    bytes.set(b, at);
    at += spans[i];
  });
  return { bytes, length };
}

/** Runs one update; returns what went wrong, or undefined when it armed the right image for a trial boot. */
export async function runSweepCase(c: SweepCase): Promise<string | undefined> {
  const { sector, writeAlign, erasedValue, sizes } = c;
  const slotSize = Math.ceil((sizes.reduce((a, b) => a + b, 0) + sizes.length * sector) / sector) * sector;
  const area = (size: number) => ({ size, sectorSize: sector, writeAlign, erasedValue });
  const flash = new NorFlash({ areas: [area(Math.max(8, Math.ceil(2048 / sector)) * sector), area(slotSize), area(slotSize)] });
  const device = await Device.start(flash);
  const bodies = sizes.map((size, i) => image(size, size * 31 + i + 1));
  const urls = bodies.map((_, i) => `http://files.test/part${i}.bin`);
  const config = sizes.length === 1
    ? { version: "1.1.0", name: "sweep", type: "FILE", payload: urls[0], sha256: sha256Hex(bodies[0]), size: sizes[0] }
    : { version: "1.1.0", name: "sweep", type: "URL_LIST", payload: urls, sha256: bodies.map(sha256Hex), size: sizes };
  device.config(ConfigSource.MuranoConfigOtau, JSON.stringify(config));
  for (let i = 0; i < bodies.length; i++) {
    if (device.fetches.length !== i + 1) return `expected fetch ${i + 1}, the agent made ${device.fetches.length}; last: ${JSON.stringify(device.last())}`;
    device.serve(bodies[i]);
  }
  const last = device.last();
  if (last.status !== "INSTALL_STEP") return `ended in ${last.status} "${last.message}"`;
  const { bytes, length } = expectedSlot(sector, bodies, erasedValue);
  const slot = flash.bytes(2);
  for (let i = 0; i < length; i++) {
    if (slot[i] !== bytes[i]) return `slot B byte ${i} is ${slot[i]}, expected ${bytes[i]}`;
  }
  if (device.resets !== 1) return `${device.resets} resets`;
  return undefined;
}

/** Every residue of `sector` (or those given) × alignment × erased value × one and three files. */
export function* sweepCases(sector: number, residues?: number[]): Generator<SweepCase> {
  for (const residue of residues ?? Array.from({ length: sector }, (_, r) => r)) {
    for (const writeAlign of WRITE_ALIGNMENTS) {
      for (const erasedValue of ERASED_VALUES) {
        for (const files of [1, 3] as const) yield { sector, writeAlign, erasedValue, sizes: sizesFor(sector, residue, files) };
      }
    }
  }
}

export function describeCase(c: SweepCase): string {
  return `sector ${c.sector}, align ${c.writeAlign}, erased 0x${c.erasedValue.toString(16).padStart(2, "0")}, sizes ${c.sizes.join("+")}`;
}
