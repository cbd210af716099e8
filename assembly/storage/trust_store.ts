// The trust store (area 3, optional): the public keys images must be signed with, and the
// highest security counter confirmed so far. Provisioned per device, not compiled in, so
// one agent.wasm serves every product. Written like the boot record (docs/boot-record.md
// "Trust store"): two copies with a sequence number, CRC-32 and a commit marker written
// last, so a write cut by a power loss leaves the previous copy in force.
import { SHA256_CONTEXT_SIZE, sha256Final, sha256Init, sha256Update } from "../crypto/sha256";
import { Area } from "../abi";
import { alignUp, areaErasedValue, areaLoad, areaSectorSize, areaSize, areaWriteAlign, flashErase, flashRead, flashWrite } from "./areas";
import { crc32 } from "./crc32";
import { StorageStatus } from "./status";
import { SCRATCH_HASHING } from "../io";

export const TRUST_KEYS_MAX: u32 = 4;
export const TRUST_KEY_SIZE: u32 = 32;

const STORE_MAGIC: u32 = 0x4b41544f; // "OTAK"
const COMMIT_MAGIC: u32 = 0x434b544f; // "OTKC"
const FORMAT_VERSION: u8 = 1;
const MAGIC: usize = 0;
const FORMAT: usize = 4;
const KEY_COUNT: usize = 5;
const SEQUENCE: usize = 8;
const COUNTER: usize = 12;
const GENERATION: usize = 16;
const KEYS: usize = 20;
const CRC: usize = KEYS + <usize>(TRUST_KEYS_MAX * TRUST_KEY_SIZE); // 148
export const TRUST_STORE_BYTES: u32 = <u32>CRC + 4; // 152
const MARKER_BYTES: u32 = 8;

// Payload and marker each padded to the write unit (at most 32 bytes).
const COPY_MAX: i32 = 160 + 32;
const store_ = memory.data(COPY_MAX, 8);
const probe: usize = SCRATCH_HASHING; // a copy read back or probed: 192 bytes of the I/O buffer's work area
let currentCopy: i32 = -1;
let present = false;

// The hash imgtool puts in KEYHASH: SHA-256 of the key as SubjectPublicKeyInfo DER (RFC 8410).
const SPKI_PREFIX = memory.data<u8>([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const keyHashContext: usize = SCRATCH_HASHING;
const keyHash: usize = SCRATCH_HASHING + SHA256_CONTEXT_SIZE;

function payloadSpan(): u32 { return alignUp(TRUST_STORE_BYTES, areaWriteAlign(Area.TrustStore)); }
function markerSpan(): u32 { return alignUp(MARKER_BYTES, areaWriteAlign(Area.TrustStore)); }
function copySpan(): u32 {
  const sector = areaSectorSize(Area.TrustStore);
  return (payloadSpan() + markerSpan() + sector - 1) / sector * sector;
}

/** 1 valid, 0 not, or a negative status. */
function readCopy(copy: i32, buffer: usize): i32 {
  const span = payloadSpan() + markerSpan();
  const status = flashRead(Area.TrustStore, <u32>copy * copySpan(), buffer, span);
  if (status != StorageStatus.Ok) return status;
  const crc = load<u32>(buffer + CRC);
  const marker = buffer + payloadSpan();
  if (load<u32>(marker) != COMMIT_MAGIC || load<u32>(marker, 4) != crc) return 0;
  if (crc32(buffer, CRC) != crc) return 0;
  if (load<u32>(buffer + MAGIC) != STORE_MAGIC || load<u8>(buffer + FORMAT) != FORMAT_VERSION) return 0;
  if (<u32>load<u8>(buffer + KEY_COUNT) > TRUST_KEYS_MAX) return 0;
  return 1;
}

/**
 * Reads the trust store. Ok: keys and counter loaded (possibly none); FlashNoSuchArea: the
 * host has no area 3 (a device without signature checks); NoRecord: the area holds no
 * valid copy (nothing provisioned: no keys, counter 0); or a flash or geometry error.
 */
export function trustStoreLoad(): StorageStatus {
  currentCopy = -1;
  present = false;
  memory.fill(store_, 0, <usize>COPY_MAX);
  const geometry = areaLoad(Area.TrustStore);
  if (geometry != StorageStatus.Ok) return geometry;
  if (payloadSpan() + markerSpan() > <u32>COPY_MAX || <u64>copySpan() * 2 > <u64>areaSize(Area.TrustStore)) return StorageStatus.TrustAreaTooSmall;
  present = true;
  const first = readCopy(0, store_);
  if (first < 0) return <StorageStatus>first;
  const second = readCopy(1, probe);
  if (second < 0) return <StorageStatus>second;
  if (second == 1 && (first == 0 || <i32>(load<u32>(probe + SEQUENCE) - load<u32>(store_ + SEQUENCE)) > 0)) {
    memory.copy(store_, probe, <usize>COPY_MAX);
    currentCopy = 1;
  } else if (first == 1) {
    currentCopy = 0;
  } else {
    memory.fill(store_, 0, <usize>COPY_MAX);
    return StorageStatus.NoRecord;
  }
  return StorageStatus.Ok;
}

/** Whether the host provides a trust-store area (loaded). */
export function trustStorePresent(): bool { return present; }
export function trustStoreKeyCount(): u32 { return <u32>load<u8>(store_ + KEY_COUNT); }
export function trustStoreKey(index: u32): usize { return store_ + KEYS + <usize>(index * TRUST_KEY_SIZE); }
export function trustStoreSecurityCounter(): u32 { return load<u32>(store_ + COUNTER); }
/** The generation of the key list in force (0: as provisioned); a signed update must carry a higher one. */
export function trustStoreGeneration(): u32 { return load<u32>(store_ + GENERATION); }

/** Replaces the keys with the `count` keys at `keys` under `generation` (power-fail safe: the old list stays in force until the new copy is committed). */
export function trustStoreReplaceKeys(keys: usize, count: u32, generation: u32): StorageStatus {
  if (!present) return StorageStatus.FlashNoSuchArea;
  memory.fill(store_ + KEYS, 0, <usize>(TRUST_KEYS_MAX * TRUST_KEY_SIZE));
  memory.copy(store_ + KEYS, keys, <usize>(count * TRUST_KEY_SIZE));
  store<u8>(store_ + KEY_COUNT, <u8>count);
  store<u32>(store_ + GENERATION, generation);
  return trustStoreWrite();
}

/** The index of the trusted key whose KEYHASH (SHA-256 of its SPKI DER) is `hash`, or -1. */
export function trustStoreFindKey(hash: usize): i32 {
  for (let i: u32 = 0; i < trustStoreKeyCount(); i++) {
    sha256Init(keyHashContext);
    sha256Update(keyHashContext, SPKI_PREFIX, 12);
    sha256Update(keyHashContext, trustStoreKey(i), TRUST_KEY_SIZE);
    sha256Final(keyHashContext, keyHash);
    if (memory.compare(keyHash, hash, 32) == 0) return <i32>i;
  }
  return -1;
}

/** Records a higher security counter (confirmation of an image that carries one). */
export function trustStoreRaiseCounter(counter: u32): StorageStatus {
  if (!present) return StorageStatus.FlashNoSuchArea;
  if (counter <= trustStoreSecurityCounter()) return StorageStatus.Ok;
  store<u32>(store_ + COUNTER, counter);
  return trustStoreWrite();
}

/**
 * Writes the RAM copy as the next sequence into the copy not holding the current one:
 * erase, payload, commit marker last, read back.
 */
function trustStoreWrite(): StorageStatus {
  const target = currentCopy == 0 ? 1 : 0;
  const sequence = currentCopy < 0 ? 1 : load<u32>(store_ + SEQUENCE) + 1;
  const payload = payloadSpan();
  const marker = markerSpan();
  const erased = areaErasedValue(Area.TrustStore);
  store<u32>(store_ + MAGIC, STORE_MAGIC);
  store<u8>(store_ + FORMAT, FORMAT_VERSION);
  store<u32>(store_ + SEQUENCE, sequence);
  const crc = crc32(store_, CRC);
  store<u32>(store_ + CRC, crc);
  memory.fill(store_ + TRUST_STORE_BYTES, erased, payload - TRUST_STORE_BYTES);
  store<u32>(store_ + payload, COMMIT_MAGIC);
  store<u32>(store_ + payload + 4, crc);
  memory.fill(store_ + payload + MARKER_BYTES, erased, marker - MARKER_BYTES);
  const base = <u32>target * copySpan();
  let status = flashErase(Area.TrustStore, base, copySpan());
  if (status != StorageStatus.Ok) return status;
  status = flashWrite(Area.TrustStore, base, store_, payload);
  if (status != StorageStatus.Ok) return status;
  status = flashWrite(Area.TrustStore, base + payload, store_ + payload, marker);
  if (status != StorageStatus.Ok) return status;
  status = flashRead(Area.TrustStore, base, probe, payload + marker);
  if (status != StorageStatus.Ok) return status;
  if (memory.compare(probe, store_, payload + marker) != 0) return StorageStatus.ReadBackMismatch;
  currentCopy = target;
  return StorageStatus.Ok;
}
