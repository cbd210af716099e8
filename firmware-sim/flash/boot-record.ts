// The boot record's wire format (docs/boot-record.md) read and written from TypeScript:
// an independent third reading of the format, for tests and the simulator to set up flash
// states and to check what the agent and the C bootloader left there.
import { createHash } from "node:crypto";

import type { AreaGeometry, NorFlash } from "./nor-flash.ts";

export enum SlotState { Empty = 0, Confirmed = 1, Trial = 2, Failed = 3 }

/** Why a slot is Failed (entry bytes 2 and 3; absent when both are 0: not confirmed in time). */
export interface SlotFailure {
  /** 1: the bootloader's image check refused the image. */
  cause: number;
  /** The check's refusal code: an ImageProblem (assembly/image/problem.ts) or 64-67. */
  problem: number;
}

export interface SlotEntry {
  state: SlotState;
  size: number;
  digest: Uint8Array;
  version: string;
  failure?: SlotFailure;
}

export interface BootRecord {
  sequence: number;
  /** 1 = A, 2 = B. */
  active: number;
  /** 0 = none. */
  trial: number;
  attempts: number;
  booted: boolean;
  slots: [SlotEntry, SlotEntry];
}

const RECORD_MAGIC = 0x5241544f; // "OTAR"
const COMMIT_MAGIC = 0x4341544f; // "OTAC"
const RECORD_BYTES = 228;
const CRC_AT = 224;
const ENTRY_AT = 16;
const ENTRY_SIZE = 104;

const alignUp = (value: number, align: number): number => Math.ceil(value / align) * align;

/** Bytes of one copy's payload and marker writes, and of the whole copy (whole sectors). */
export function recordLayout(g: AreaGeometry): { payload: number; marker: number; copySpan: number } {
  const payload = alignUp(RECORD_BYTES, g.writeAlign);
  const marker = alignUp(8, g.writeAlign);
  return { payload, marker, copySpan: alignUp(payload + marker, g.sectorSize) };
}

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (~crc) >>> 0;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

/** A committed copy (payload, padding, marker) as it lies in flash. */
export function encodeRecord(record: BootRecord, g: AreaGeometry): Uint8Array {
  const { payload, marker } = recordLayout(g);
  const out = new Uint8Array(payload + marker).fill(g.erasedValue);
  const view = new DataView(out.buffer);
  out.fill(0, 0, RECORD_BYTES);
  view.setUint32(0, RECORD_MAGIC, true);
  out[4] = 1;
  out[5] = record.active;
  out[6] = record.trial;
  out[7] = record.attempts;
  out[8] = record.booted ? 1 : 0;
  view.setUint32(12, record.sequence >>> 0, true);
  record.slots.forEach((slot, i) => {
    const at = ENTRY_AT + i * ENTRY_SIZE;
    const version = Buffer.from(slot.version, "utf8");
    if (version.length > 64) throw new RangeError(`version '${slot.version}' is longer than 64 bytes`);
    out[at] = slot.state;
    out[at + 1] = version.length;
    out[at + 2] = slot.failure?.cause ?? 0;
    out[at + 3] = slot.failure?.problem ?? 0;
    view.setUint32(at + 4, slot.size >>> 0, true);
    out.set(slot.digest.subarray(0, 32), at + 8);
    out.set(version, at + 40);
  });
  const crc = crc32(out.subarray(0, CRC_AT));
  view.setUint32(CRC_AT, crc, true);
  view.setUint32(payload, COMMIT_MAGIC, true);
  view.setUint32(payload + 4, crc, true);
  return out;
}

/** Decodes a copy; undefined unless committed, intact and well-formed (the agent's rules). */
export function decodeRecord(bytes: Uint8Array, g: AreaGeometry): BootRecord | undefined {
  const { payload } = recordLayout(g);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const crc = view.getUint32(CRC_AT, true);
  if (view.getUint32(payload, true) !== COMMIT_MAGIC || view.getUint32(payload + 4, true) !== crc) return undefined;
  if (crc32(bytes.subarray(0, CRC_AT)) !== crc) return undefined;
  if (view.getUint32(0, true) !== RECORD_MAGIC || bytes[4] !== 1) return undefined;
  const [active, trial, attempts, booted] = [bytes[5], bytes[6], bytes[7], bytes[8]];
  if ((active !== 1 && active !== 2) || trial > 2 || trial === active || booted > 1) return undefined;
  const slots = [0, 1].map((i) => {
    const at = ENTRY_AT + i * ENTRY_SIZE;
    return {
      state: bytes[at] as SlotState,
      size: view.getUint32(at + 4, true),
      digest: bytes.slice(at + 8, at + 40),
      version: Buffer.from(bytes.subarray(at + 40, at + 40 + bytes[at + 1])).toString("utf8"),
      versionLength: bytes[at + 1],
      ...(bytes[at + 2] !== 0 || bytes[at + 3] !== 0 ? { failure: { cause: bytes[at + 2], problem: bytes[at + 3] } } : {}),
    };
  });
  if (slots.some((s) => s.state > SlotState.Failed || s.versionLength > 64)) return undefined;
  return {
    sequence: view.getUint32(12, true),
    active,
    trial,
    attempts,
    booted: booted === 1,
    slots: slots.map(({ versionLength: _, ...slot }) => slot) as [SlotEntry, SlotEntry],
  };
}

/** The record the agent and the bootloader read: the valid copy with the newer sequence. */
export function readBootRecord(flash: NorFlash): (BootRecord & { copy: number }) | undefined {
  const g = flash.areas[0];
  const { payload, marker, copySpan } = recordLayout(g);
  const copies = [0, 1].map((copy) => decodeRecord(flash.bytes(0).subarray(copy * copySpan, copy * copySpan + payload + marker), g));
  const [first, second] = copies;
  if (second && (!first || ((second.sequence - first.sequence) | 0) > 0)) return { ...second, copy: 1 };
  return first ? { ...first, copy: 0 } : undefined;
}

/** Writes a committed copy straight into flash memory (test setup: no operations counted). */
export function placeRecordCopy(flash: NorFlash, copy: number, record: BootRecord): void {
  const g = flash.areas[0];
  const { copySpan } = recordLayout(g);
  const bytes = flash.bytes(0);
  bytes.fill(g.erasedValue, copy * copySpan, (copy + 1) * copySpan);
  bytes.set(encodeRecord(record, g), copy * copySpan);
}

/** True when the slot's first `entry.size` bytes hash to `entry.digest`, as the bootloader checks. */
export function slotMatches(flash: NorFlash, slot: number, entry: SlotEntry): boolean {
  const bytes = flash.bytes(slot);
  if (entry.size === 0 || entry.size > bytes.length) return false;
  return Buffer.from(sha256(bytes.subarray(0, entry.size))).equals(Buffer.from(entry.digest));
}
