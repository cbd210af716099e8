// MCUboot's signed image format in TypeScript, as `imgtool sign` writes it (header padded
// to --header-size, body, protected TLVs with the security counter when given, unprotected
// TLVs SHA256, KEYHASH, ED25519 over the image hash): what `otau-sim pack --key` writes and
// what tests tamper with. tests/node/mcuboot-interop.test.ts holds it to the real imgtool.
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";

export const IMAGE_MAGIC = 0x96f3b83d;
export const IMAGE_HEADER_FIELDS = 32;
export const DEFAULT_HEADER_SIZE = 0x200;
export const TLV_INFO_MAGIC = 0x6907;
export const TLV_PROTECTED_INFO_MAGIC = 0x6908;
export enum TlvType { KeyHash = 0x01, Sha256 = 0x10, Ed25519 = 0x24, SecurityCounter = 0x50 }

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export interface ImageVersion { major: number; minor: number; revision: number; build: number }

/** "1.2.3" or "1.2.3+4" (imgtool's --version); anything else is refused. */
export function parseImageVersion(text: string): ImageVersion {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:\+(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`version "${text}" is not major.minor.revision[+build] (MCUboot's image version)`);
  const [major, minor, revision, build] = match.slice(1).map((part) => Number(part ?? 0));
  if (major > 255 || minor > 255 || revision > 65535 || build > 0xffffffff) {
    throw new RangeError(`version "${text}" does not fit MCUboot's u8.u8.u16+u32`);
  }
  return { major, minor, revision, build };
}

export function formatImageVersion(v: ImageVersion): string {
  return `${v.major}.${v.minor}.${v.revision}${v.build !== 0 ? `+${v.build}` : ""}`;
}

/** The raw 32-byte Ed25519 public key of a PEM public or private key. */
export function ed25519PublicKeyBytes(key: KeyObject): Buffer {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== "ed25519") throw new RangeError(`key is ${publicKey.asymmetricKeyType}, not ed25519`);
  return publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_ED25519_PREFIX.length);
}

/** imgtool's KEYHASH: SHA-256 of the key as SubjectPublicKeyInfo DER. */
export function keyHash(publicKey: Uint8Array): Buffer {
  return createHash("sha256").update(SPKI_ED25519_PREFIX).update(publicKey).digest();
}

export function readEd25519PrivateKey(pem: string | Buffer): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== "ed25519") throw new RangeError(`key is ${key.asymmetricKeyType}, not ed25519`);
  return key;
}

export function readEd25519PublicKey(pem: string | Buffer): Buffer {
  return ed25519PublicKeyBytes(createPublicKey(pem));
}

function tlv(type: number, value: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function tlvInfo(magic: number, total: number): Buffer {
  const info = Buffer.alloc(4);
  info.writeUInt16LE(magic, 0);
  info.writeUInt16LE(total, 2);
  return info;
}

export interface SignOptions {
  version: string;
  /** Ed25519 private key; without one the image carries only its SHA256 TLV (unsigned). */
  key?: KeyObject;
  headerSize?: number;
  securityCounter?: number;
  /** imgtool's --rom-fixed: the image runs in place from this address only (IMAGE_F_ROM_FIXED, load_addr). */
  romFixed?: number;
}

/** The header flag of an image linked to run from one address (MCUboot's image.h). */
export const IMAGE_F_ROM_FIXED = 0x100;

/** A signed (or hash-only) MCUboot image of `body`, byte for byte as imgtool 2.5 lays it out. */
export function signImage(body: Uint8Array, options: SignOptions): Buffer {
  const headerSize = options.headerSize ?? DEFAULT_HEADER_SIZE;
  const version = parseImageVersion(options.version);
  // imgtool --pad-header fills the padding after the 32 header bytes with the erased value (0xff).
  const header = Buffer.alloc(headerSize, 0xff);
  header.fill(0, 0, IMAGE_HEADER_FIELDS);
  header.writeUInt32LE(IMAGE_MAGIC, 0);
  if (options.romFixed !== undefined) {
    header.writeUInt32LE(options.romFixed, 4);
    header.writeUInt32LE(IMAGE_F_ROM_FIXED, 16);
  }
  header.writeUInt16LE(headerSize, 8);
  header.writeUInt32LE(body.length, 12);
  header.writeUInt8(version.major, 20);
  header.writeUInt8(version.minor, 21);
  header.writeUInt16LE(version.revision, 22);
  header.writeUInt32LE(version.build, 24);
  let protectedTlvs = Buffer.alloc(0);
  if (options.securityCounter !== undefined) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32LE(options.securityCounter, 0);
    const entries = tlv(TlvType.SecurityCounter, counter);
    protectedTlvs = Buffer.concat([tlvInfo(TLV_PROTECTED_INFO_MAGIC, 4 + entries.length), entries]);
  }
  header.writeUInt16LE(protectedTlvs.length, 10);
  const digest = createHash("sha256").update(header).update(body).update(protectedTlvs).digest();
  const entries = [tlv(TlvType.Sha256, digest)];
  if (options.key) {
    entries.push(tlv(TlvType.KeyHash, keyHash(ed25519PublicKeyBytes(options.key))));
    entries.push(tlv(TlvType.Ed25519, sign(null, digest, options.key)));
  }
  const unprotected = Buffer.concat(entries);
  return Buffer.concat([header, body, protectedTlvs, tlvInfo(TLV_INFO_MAGIC, 4 + unprotected.length), unprotected]);
}

export interface ParsedImage {
  headerSize: number;
  bodySize: number;
  protectedSize: number;
  version: string;
  body: Buffer;
  /** Offset of the TLV area (header + body). */
  tlvStart: number;
}

/** The header fields of an MCUboot image, or undefined when `bytes` does not start with one. */
export function parseImage(bytes: Uint8Array): ParsedImage | undefined {
  if (bytes.length < IMAGE_HEADER_FIELDS) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.readUInt32LE(0) !== IMAGE_MAGIC) return undefined;
  const headerSize = view.readUInt16LE(8);
  const protectedSize = view.readUInt16LE(10);
  const bodySize = view.readUInt32LE(12);
  if (headerSize < IMAGE_HEADER_FIELDS || headerSize + bodySize > view.length) return undefined;
  const version = formatImageVersion({
    major: view.readUInt8(20), minor: view.readUInt8(21), revision: view.readUInt16LE(22), build: view.readUInt32LE(24),
  });
  return { headerSize, bodySize, protectedSize, version, body: view.subarray(headerSize, headerSize + bodySize), tlvStart: headerSize + bodySize };
}

/** The body of a signed key-list update (assembly/image/key_list.ts): "OTAUKEYS", generation, count, keys. */
export function keyListBody(generation: number, keys: Uint8Array[]): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.write("OTAUKEYS", 0, "ascii");
  fixed.writeUInt32LE(generation >>> 0, 8);
  fixed.writeUInt32LE(keys.length, 12);
  return Buffer.concat([fixed, ...keys]);
}
