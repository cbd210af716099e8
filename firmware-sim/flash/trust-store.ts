// The trust store's format (area 3; docs/boot-record.md "Trust store") from TypeScript: what
// a factory writes to provision a device's image-signing keys, and a reader for tests.
import { Area } from "../agent/abi.ts";
import { crc32 } from "./boot-record.ts";
import type { AreaGeometry, NorFlash } from "./nor-flash.ts";

export const TRUST_STORE_AREA = Area.TrustStore;
export const TRUST_KEYS_MAX = 4;
const STORE_MAGIC = 0x4b41544f; // "OTAK"
const COMMIT_MAGIC = 0x434b544f; // "OTKC"
const STORE_BYTES = 152;
const CRC_AT = 148;
const KEYS_AT = 20;

const alignUp = (value: number, align: number): number => Math.ceil(value / align) * align;

export interface TrustStore {
  sequence: number;
  securityCounter: number;
  /** The key list's generation: a signed key-list update must carry a higher one. */
  generation: number;
  /** Raw 32-byte Ed25519 public keys. */
  keys: Uint8Array[];
}

function layout(g: AreaGeometry): { payload: number; marker: number; copySpan: number } {
  const payload = alignUp(STORE_BYTES, g.writeAlign);
  const marker = alignUp(8, g.writeAlign);
  return { payload, marker, copySpan: alignUp(payload + marker, g.sectorSize) };
}

/** One copy's bytes (payload and commit marker, each padded to the write unit). */
export function encodeTrustStore(store: TrustStore, g: AreaGeometry): Buffer {
  if (store.keys.length > TRUST_KEYS_MAX) throw new RangeError(`at most ${TRUST_KEYS_MAX} trusted keys, got ${store.keys.length}`);
  const { payload, marker } = layout(g);
  const bytes = Buffer.alloc(payload + marker, g.erasedValue);
  bytes.fill(0, 0, STORE_BYTES);
  bytes.writeUInt32LE(STORE_MAGIC, 0);
  bytes.writeUInt8(1, 4);
  bytes.writeUInt8(store.keys.length, 5);
  bytes.writeUInt32LE(store.sequence >>> 0, 8);
  bytes.writeUInt32LE(store.securityCounter >>> 0, 12);
  bytes.writeUInt32LE(store.generation >>> 0, 16);
  store.keys.forEach((key, i) => {
    if (key.length !== 32) throw new RangeError(`trusted key ${i + 1} is ${key.length} bytes, not 32`);
    bytes.set(key, KEYS_AT + 32 * i);
  });
  const crc = crc32(bytes.subarray(0, CRC_AT));
  bytes.writeUInt32LE(crc, CRC_AT);
  bytes.writeUInt32LE(COMMIT_MAGIC, payload);
  bytes.writeUInt32LE(crc, payload + 4);
  return bytes;
}

function trustArea(flash: NorFlash): AreaGeometry {
  const g = flash.areas[TRUST_STORE_AREA];
  if (!g) throw new RangeError("this flash has no trust-store area (area 3)");
  return g;
}

/** Provisions `keys` (sequence 1, counter 0) into copy 0 of area 3 of a fresh flash, as a factory programmer would. */
export function provisionTrustStore(flash: NorFlash, keys: Uint8Array[], securityCounter = 0): void {
  const g = trustArea(flash);
  flash.bytes(TRUST_STORE_AREA).set(encodeTrustStore({ sequence: 1, securityCounter, generation: 0, keys }, g), 0);
}

/** The trust store in force (the valid copy with the newer sequence), or undefined. */
export function readTrustStore(flash: NorFlash): TrustStore | undefined {
  const g = trustArea(flash);
  const { payload, copySpan } = layout(g);
  const area = flash.bytes(TRUST_STORE_AREA);
  let best: TrustStore | undefined;
  for (const base of [0, copySpan]) {
    const copy = Buffer.from(area.subarray(base, base + copySpan));
    const crc = copy.readUInt32LE(CRC_AT);
    if (copy.readUInt32LE(payload) !== COMMIT_MAGIC || copy.readUInt32LE(payload + 4) !== crc) continue;
    if (crc32(copy.subarray(0, CRC_AT)) !== crc || copy.readUInt32LE(0) !== STORE_MAGIC || copy[4] !== 1 || copy[5] > TRUST_KEYS_MAX) continue;
    const store = {
      sequence: copy.readUInt32LE(8),
      securityCounter: copy.readUInt32LE(12),
      generation: copy.readUInt32LE(16),
      keys: Array.from({ length: copy[5] }, (_, i) => copy.subarray(KEYS_AT + 32 * i, KEYS_AT + 32 + 32 * i)),
    };
    if (!best || ((store.sequence - best.sequence) | 0) > 0) best = store;
  }
  return best;
}
