// Whether a downloaded image may be installed on a device with trusted keys: its TLV area
// parses, the image hash read back from flash equals its SHA256 TLV, its KEYHASH names a
// trusted key, its ED25519 signature over that hash verifies (MCUboot's ed25519 signs
// the image hash), and its security counter is not below the recorded one.
import { SHA256_DIGEST_SIZE, sha256Final, sha256Init, sha256Update } from "../crypto/sha256";
import { SCRATCH_HASHING } from "../io";
import { ed25519Verify } from "../crypto/ed25519";
import { hashFlash } from "../storage/image_check";
import { StorageStatus } from "../storage/status";
import {
  trustStoreFindKey, trustStoreKey, trustStoreKeyCount, trustStoreSecurityCounter,
} from "../storage/trust_store";
import {
  IMAGE_IN_MEMORY, imageHashedLength, imageMemoryBase, imageTlvScan, tlvHasKeyHash, tlvHasSecurityCounter, tlvHasSha256, tlvHasSignature,
  tlvKeyHash, tlvSecurityCounter, tlvSha256, tlvSignature,
} from "./mcuboot";
import { ImageProblem, noteProblem } from "./problem";

const context: usize = SCRATCH_HASHING; // the I/O buffer's work area (io.ts)
/** The image hash as read back from flash (for messages). */
export const imageDigest = memory.data(<i32>SHA256_DIGEST_SIZE);

/** The image in `area` (or IMAGE_IN_MEMORY; its header loaded and checked) against the trust store, which must hold a key. */
export function imageVerify(area: i32, fileSize: u32, checkCounter: bool = true): ImageProblem {
  const hashed = imageHashCheck(area, fileSize);
  if (hashed != ImageProblem.None) return hashed;
  if (!tlvHasSignature()) return noteProblem(ImageProblem.Unsigned, trustStoreKeyCount(), 0);
  if (!tlvHasKeyHash()) return noteProblem(ImageProblem.NoKeyHash, 0, 0);
  const key = trustStoreFindKey(tlvKeyHash);
  if (key < 0) return noteProblem(ImageProblem.UnknownKey, 0, 0);
  if (!ed25519Verify(tlvSignature, trustStoreKey(<u32>key), imageDigest, SHA256_DIGEST_SIZE)) {
    return noteProblem(ImageProblem.SignatureInvalid, <u64>key, 0);
  }
  const counter = tlvHasSecurityCounter() ? tlvSecurityCounter() : 0;
  if (checkCounter && counter < trustStoreSecurityCounter()) return noteProblem(ImageProblem.CounterLower, counter, trustStoreSecurityCounter());
  return ImageProblem.None;
}

/** The image's TLV area parses and its hash (header + body + protected TLVs, as read) equals its SHA256 TLV. */
export function imageHashCheck(area: i32, fileSize: u32): ImageProblem {
  const scanned = imageTlvScan(area, fileSize);
  if (scanned != ImageProblem.None) return scanned;
  if (!tlvHasSha256()) return noteProblem(ImageProblem.NoHash, 0, 0);
  sha256Init(context);
  const hashed = <u32>imageHashedLength(); // below the TLV area's end: the scan has read past it
  if (area == IMAGE_IN_MEMORY) sha256Update(context, imageMemoryBase(), hashed);
  else if (hashFlash(area, 0, hashed, context) != StorageStatus.Ok) return noteProblem(ImageProblem.FlashReadFailed, 0, 0);
  sha256Final(context, imageDigest);
  if (memory.compare(imageDigest, tlvSha256, SHA256_DIGEST_SIZE) != 0) return noteProblem(ImageProblem.HashMismatch, 0, 0);
  return ImageProblem.None;
}
