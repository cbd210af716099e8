// The flash configurations the power-cut suite runs over: layouts (sector sizes, slot sizes,
// boot-area sizes, image sizes, download chunking) × write alignment × erased value ×
// programming model, in the manner of MCUboot's simulator matrix.
import type { AreaGeometry, ErasedValue, ProgramModel } from "../flash/nor-flash.ts";

export interface Layout {
  name: string;
  /** [size, erase sector] in bytes of the boot-record area, slot A and slot B. */
  record: [number, number];
  slotA: [number, number];
  slotB: [number, number];
  /** The factory image in slot A and the update written to slot B, in bytes. */
  oldImageSize: number;
  newImageSize: number;
  /** Body bytes per network chunk: chunks that straddle write units and sectors exercise the writer's buffering. */
  chunkSize: number;
}

export interface PowerCutConfig {
  /** e.g. "4k-sectors/align4/ff/strict": unique, and what --config selects. */
  name: string;
  layout: Layout;
  writeAlign: number;
  erasedValue: ErasedValue;
  program: ProgramModel;
}

export const LAYOUTS: readonly Layout[] = [
  // The Linux host's default geometry: 4 KiB sectors everywhere.
  { name: "4k-sectors", record: [16384, 4096], slotA: [131072, 4096], slotB: [131072, 4096], oldImageSize: 20_000, newImageSize: 50_001, chunkSize: 4096 },
  // Big erase units: 16 KiB in the boot area, 128 KiB in the slots (slot A one sector, the
  // update in two).
  { name: "big-sectors", record: [65536, 16384], slotA: [131072, 131072], slotB: [262144, 131072], oldImageSize: 100_000, newImageSize: 150_003, chunkSize: 4096 },
  // Tiny sectors (one record copy per 256-byte sector, six journal pages), slots of different
  // sizes, chunks that are not a multiple of any alignment.
  { name: "small-sectors", record: [2048, 256], slotA: [24576, 1024], slotB: [40960, 1024], oldImageSize: 9_000, newImageSize: 33_333, chunkSize: 1000 },
  // The update fills slot B to its last byte; slot A is larger than B.
  { name: "full-slot", record: [8192, 2048], slotA: [98304, 2048], slotB: [65536, 2048], oldImageSize: 70_000, newImageSize: 65_536, chunkSize: 1500 },
];

export const WRITE_ALIGNMENTS: readonly number[] = [1, 4, 8, 16];
export const ERASED_VALUES: readonly ErasedValue[] = [0xff, 0x00];
export const PROGRAM_MODELS: readonly ProgramModel[] = ["strict", "and"];

export function configuration(layout: Layout, writeAlign: number, erasedValue: ErasedValue, program: ProgramModel): PowerCutConfig {
  const erased = erasedValue === 0xff ? "ff" : "00";
  return { name: `${layout.name}/align${writeAlign}/${erased}/${program}`, layout, writeAlign, erasedValue, program };
}

/** Every layout × alignment × erased value × programming model. */
export function fullMatrix(): PowerCutConfig[] {
  return LAYOUTS.flatMap((layout) =>
    WRITE_ALIGNMENTS.flatMap((align) =>
      ERASED_VALUES.flatMap((erased) => PROGRAM_MODELS.map((program) => configuration(layout, align, erased, program)))));
}

/** A trust-store area 3 for signed-image runs: two copies of at most 192 bytes, in the boot area's sectors. */
export function trustArea(config: PowerCutConfig): AreaGeometry {
  const sectorSize = config.layout.record[1];
  return { size: 2 * Math.ceil(192 / sectorSize) * sectorSize, sectorSize, writeAlign: config.writeAlign, erasedValue: config.erasedValue };
}

/** Flash areas 0 (boot record), 1 (slot A), 2 (slot B) of a configuration. */
export function flashAreas(config: PowerCutConfig): AreaGeometry[] {
  const { layout, writeAlign, erasedValue } = config;
  return [layout.record, layout.slotA, layout.slotB].map(([size, sectorSize]) => ({ size, sectorSize, writeAlign, erasedValue }));
}
