// MCUboot's image format, as `imgtool sign` writes it (MCUboot's design document,
// https://docs.mcuboot.com/design.html, "Image format"): a header, the body, then the TLV
// area: an optional protected part (covered by the image hash) and the unprotected part
// (the hash, the key hash, the signature).
//
//   header (hdr_size bytes; its first 32 are the fields below)
//   body (img_size bytes)
//   protected TLV info {0x6908, total} + TLVs      (protect_tlv_size bytes, or none)
//   TLV info {0x6907, total} + TLVs
//
// The image hash is SHA-256 over header + body + protected TLVs. Each TLV is
// {u16 type, u16 length, value}; all integers little-endian. This file parses and checks;
// image/verify.ts decides whether an image may be installed.
import { flashRead } from "../storage/areas";
import { StorageStatus } from "../storage/status";
import { ImageProblem, noteProblem } from "./problem";

export const IMAGE_MAGIC: u32 = 0x96f3b83d;
export const IMAGE_HEADER_SIZE: u32 = 32;
const TLV_INFO_MAGIC: u16 = 0x6907;
const TLV_PROTECTED_INFO_MAGIC: u16 = 0x6908;
const TLV_INFO_SIZE: u32 = 4;

// An image may also be read from agent memory instead of a flash area (a signed key list
// in the I/O buffer): pass IMAGE_IN_MEMORY as the area after imageSetMemorySource().
export const IMAGE_IN_MEMORY: i32 = -1;
let memoryBase: usize = 0;
let memoryLength: u32 = 0;

export function imageSetMemorySource(ptr: usize, len: u32): void {
  memoryBase = ptr;
  memoryLength = len;
}

/** Bytes [offset, offset + len) of the image in `area` (or memory); false past its end or on a flash error. */
export function imageRead(area: i32, offset: u32, ptr: usize, len: u32): bool {
  if (area != IMAGE_IN_MEMORY) return flashRead(area, offset, ptr, len) == StorageStatus.Ok;
  if (<u64>offset + <u64>len > <u64>memoryLength) return false;
  memory.copy(ptr, memoryBase + offset, len);
  return true;
}

/** Where the image in memory starts (IMAGE_IN_MEMORY). */
export function imageMemoryBase(): usize { return memoryBase; }

// Header flags this device cannot honour: encrypted bodies (AES-128, AES-256).
const FLAGS_ENCRYPTED: u32 = 0x04 | 0x08;
// The image runs in place from load_addr only (`imgtool sign --rom-fixed <address>`).
export const IMAGE_F_ROM_FIXED: u32 = 0x100;

export const enum TlvType {
  KeyHash = 0x01,
  Sha256 = 0x10,
  Ed25519 = 0x24,
  SecurityCounter = 0x50,
}

// The header as it arrives: the first 32 bytes of the file, collected across chunks.
const header = memory.data(<i32>IMAGE_HEADER_SIZE, 8);
let headerFilled: u32 = 0;

/** Forget the header: a new file starts. */
export function imageHeaderReset(): void {
  headerFilled = 0;
}

/**
 * Collects header bytes from a chunk that starts at `fileOffset` of the file. True once
 * all 32 header bytes are in (and stays true).
 */
export function imageHeaderFeed(ptr: usize, len: u32, fileOffset: u32): bool {
  if (headerFilled < IMAGE_HEADER_SIZE && fileOffset <= headerFilled) {
    const skip = headerFilled - fileOffset;
    if (len > skip) {
      const take = min(IMAGE_HEADER_SIZE - headerFilled, len - skip);
      memory.copy(header + headerFilled, ptr + skip, take);
      headerFilled += take;
    }
  }
  return headerFilled == IMAGE_HEADER_SIZE;
}

/** Reads the header from flash (a resumed download, a confirmation): false when flash fails. */
export function imageHeaderLoad(area: i32): bool {
  headerFilled = 0;
  if (!imageRead(area, 0, header, IMAGE_HEADER_SIZE)) return false;
  headerFilled = IMAGE_HEADER_SIZE;
  return true;
}

export function imageMagic(): u32 { return load<u32>(header, 0); }
export function imageLoadAddress(): u32 { return load<u32>(header, 4); }
export function imageHeaderSize(): u32 { return <u32>load<u16>(header, 8); }
export function imageProtectedTlvSize(): u32 { return <u32>load<u16>(header, 10); }
export function imageBodySize(): u32 { return load<u32>(header, 12); }
export function imageFlags(): u32 { return load<u32>(header, 16); }
export function imageVersionMajor(): u32 { return <u32>load<u8>(header, 20); }
export function imageVersionMinor(): u32 { return <u32>load<u8>(header, 21); }
export function imageVersionRevision(): u32 { return <u32>load<u16>(header, 22); }
export function imageVersionBuild(): u32 { return load<u32>(header, 24); }

/** Where the TLV area starts: header + body. */
export function imageTlvStart(): u64 {
  return <u64>imageHeaderSize() + <u64>imageBodySize();
}

/** The bytes the image hash covers: header + body + protected TLVs. */
export function imageHashedLength(): u64 {
  return imageTlvStart() + <u64>imageProtectedTlvSize();
}

// The header's version as text, "major.minor.revision", "+build" when build is not 0.
const versionText = memory.data(40);
let versionTextLength: i32 = 0;

function appendNumber(value: u32): void {
  const start = versionTextLength;
  do {
    store<u8>(versionText + versionTextLength++, <u8>(0x30 + value % 10));
    value /= 10;
  } while (value > 0);
  for (let a = start, b = versionTextLength - 1; a < b; a++, b--) {
    const t = load<u8>(versionText + a);
    store<u8>(versionText + a, load<u8>(versionText + b));
    store<u8>(versionText + b, t);
  }
}

export function imageVersionText(): usize {
  versionTextLength = 0;
  appendNumber(imageVersionMajor());
  store<u8>(versionText + versionTextLength++, 0x2e);
  appendNumber(imageVersionMinor());
  store<u8>(versionText + versionTextLength++, 0x2e);
  appendNumber(imageVersionRevision());
  if (imageVersionBuild() != 0) {
    store<u8>(versionText + versionTextLength++, 0x2b);
    appendNumber(imageVersionBuild());
  }
  return versionText;
}

export function imageVersionTextLength(): i32 {
  imageVersionText();
  return versionTextLength;
}

/** Whether the header says where the image runs (IMAGE_F_ROM_FIXED, at imageLoadAddress()). */
export function imageRomFixed(): bool {
  return (imageFlags() & IMAGE_F_ROM_FIXED) != 0;
}

/**
 * An image that runs in place from one address (XIP) and the address the slot runs from
 * (`runAddress`; 0 = not known, nothing to compare): another slot's build is refused.
 */
export function imageRunAddressCheck(runAddress: u32): ImageProblem {
  if (runAddress == 0 || !imageRomFixed() || imageLoadAddress() == runAddress) return ImageProblem.None;
  return noteProblem(ImageProblem.LinkedElsewhere, imageLoadAddress(), runAddress);
}

/**
 * The checks a header allows before the body arrives: magic, sizes, flags, that the image
 * fits `fileSize` (the config's size, 0 when unknown) and the slot, that it was built to run
 * from the slot (`runAddress`, imageRunAddressCheck), and that the signed version equals the
 * config's. The version order against the installed one follows from the latter: the
 * config's version has passed that test already.
 */
export function imageHeaderCheck(fileSize: u32, slotSize: u32, runAddress: u32, version: usize, versionLength: i32): ImageProblem {
  const shape = imageHeaderShapeCheck(fileSize, slotSize);
  if (shape != ImageProblem.None) return shape;
  if (imageRunAddressCheck(runAddress) != ImageProblem.None) return ImageProblem.LinkedElsewhere;
  const text = imageVersionText();
  if (versionLength != versionTextLength || memory.compare(text, version, versionLength) != 0) {
    return noteProblem(ImageProblem.VersionDiffers, 0, 0);
  }
  return ImageProblem.None;
}

/** The header's own checks (magic, sizes, flags, fit), without a config to compare: what the bootloader checks. */
export function imageHeaderShapeCheck(fileSize: u32, slotSize: u32): ImageProblem {
  if (imageMagic() != IMAGE_MAGIC) return noteProblem(ImageProblem.BadMagic, imageMagic(), IMAGE_MAGIC);
  if (imageHeaderSize() < IMAGE_HEADER_SIZE) return noteProblem(ImageProblem.HeaderSizeInvalid, imageHeaderSize(), IMAGE_HEADER_SIZE);
  const protectedSize = imageProtectedTlvSize();
  if (protectedSize != 0 && protectedSize < TLV_INFO_SIZE) return noteProblem(ImageProblem.ProtectedSizeInvalid, protectedSize, TLV_INFO_SIZE);
  if ((imageFlags() & FLAGS_ENCRYPTED) != 0) return noteProblem(ImageProblem.Encrypted, imageFlags(), 0);
  const least = imageHashedLength() + <u64>TLV_INFO_SIZE;
  if (least > <u64>slotSize) return noteProblem(ImageProblem.LargerThanSlot, least, slotSize);
  if (fileSize != 0 && least > <u64>fileSize) return noteProblem(ImageProblem.LargerThanFile, least, fileSize);
  return ImageProblem.None;
}

// What the TLV scan found: each value copied out, and whether it was there.
export const tlvSha256 = memory.data(32);
export const tlvKeyHash = memory.data(32);
export const tlvSignature = memory.data(64);
let found: u32 = 0; // bit per TlvType we keep
let securityCounter: u32 = 0;
let tlvEnd: u64 = 0;
const FOUND_SHA256: u32 = 1;
const FOUND_KEYHASH: u32 = 2;
const FOUND_SIGNATURE: u32 = 4;
const FOUND_COUNTER: u32 = 8;
const entryHead = memory.data(8);

export function tlvHasSha256(): bool { return (found & FOUND_SHA256) != 0; }
export function tlvHasKeyHash(): bool { return (found & FOUND_KEYHASH) != 0; }
export function tlvHasSignature(): bool { return (found & FOUND_SIGNATURE) != 0; }
export function tlvHasSecurityCounter(): bool { return (found & FOUND_COUNTER) != 0; }
export function tlvSecurityCounter(): u32 { return securityCounter; }

/**
 * Walks the TLV area of the image in `area` (the header already checked), reading it from
 * flash, and keeps the values it needs. The area must end exactly at `fileSize` (0: no
 * file size to hold it to). Unknown TLV types are skipped; a type kept here may appear
 * once; a security counter counts only in the protected part (the hash covers it).
 */
export function imageTlvScan(area: i32, fileSize: u32): ImageProblem {
  found = 0;
  securityCounter = 0;
  let at = <u32>imageTlvStart();
  const protectedSize = imageProtectedTlvSize();
  if (protectedSize != 0) {
    const problem = scanPart(area, at, TLV_PROTECTED_INFO_MAGIC, protectedSize);
    if (problem != ImageProblem.None) return problem;
    at += protectedSize;
  }
  if (!imageRead(area, at, entryHead, TLV_INFO_SIZE)) return noteProblem(ImageProblem.FlashReadFailed, at, 0);
  const total = <u32>load<u16>(entryHead, 2);
  const problem = scanPart(area, at, TLV_INFO_MAGIC, total);
  if (problem != ImageProblem.None) return problem;
  const end = <u64>at + <u64>total;
  tlvEnd = end;
  if (fileSize != 0 && end != <u64>fileSize) return noteProblem(ImageProblem.TlvAreaLengthDiffers, end, fileSize);
  return ImageProblem.None;
}

/** Where the TLV area scanned last ends: the image's last byte + 1. */
export function imageTlvEnd(): u64 {
  return tlvEnd;
}

/** One part of the TLV area at `at`: its info (magic, total == `expected` or any for the unprotected part) and entries. */
function scanPart(area: i32, at: u32, magic: u16, expected: u32): ImageProblem {
  if (!imageRead(area, at, entryHead, TLV_INFO_SIZE)) return noteProblem(ImageProblem.FlashReadFailed, at, 0);
  if (load<u16>(entryHead) != magic) return noteProblem(ImageProblem.TlvInfoMagic, load<u16>(entryHead), magic);
  const total = <u32>load<u16>(entryHead, 2);
  if (total != expected || total < TLV_INFO_SIZE) return noteProblem(ImageProblem.TlvInfoSize, total, expected);
  const end = at + total;
  let entry = at + TLV_INFO_SIZE;
  while (entry < end) {
    if (end - entry < 4) return noteProblem(ImageProblem.TlvEntryOverruns, entry, end);
    if (!imageRead(area, entry, entryHead, 4)) return noteProblem(ImageProblem.FlashReadFailed, entry, 0);
    const type = <u32>load<u16>(entryHead);
    const length = <u32>load<u16>(entryHead, 2);
    const value = entry + 4;
    if (<u64>value + <u64>length > <u64>end) return noteProblem(ImageProblem.TlvEntryOverruns, entry, end);
    let bit: u32 = 0;
    let into: usize = 0;
    let want: u32 = 0;
    if (type == TlvType.Sha256) { bit = FOUND_SHA256; into = tlvSha256; want = 32; }
    else if (type == TlvType.KeyHash) { bit = FOUND_KEYHASH; into = tlvKeyHash; want = 32; }
    else if (type == TlvType.Ed25519) { bit = FOUND_SIGNATURE; into = tlvSignature; want = 64; }
    else if (type == TlvType.SecurityCounter) {
      if (magic != TLV_PROTECTED_INFO_MAGIC) return noteProblem(ImageProblem.CounterUnprotected, entry, 0);
      bit = FOUND_COUNTER; into = entryHead + 4; want = 4;
    }
    if (bit != 0) {
      if (length != want) return noteProblem(ImageProblem.TlvLength, type, length);
      if ((found & bit) != 0) return noteProblem(ImageProblem.TlvRepeated, type, entry);
      if (!imageRead(area, value, into, length)) return noteProblem(ImageProblem.FlashReadFailed, value, 0);
      if (bit == FOUND_COUNTER) securityCounter = load<u32>(entryHead, 4);
      found |= bit;
    }
    entry = value + length;
  }
  return ImageProblem.None;
}
