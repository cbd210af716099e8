// Signed images in the update flow, for a device whose trust store (area 3) holds keys:
// the MCUboot header is checked as soon as its 32 bytes arrive, so a wrong image is
// refused before it is downloaded whole; the complete image is verified (hash read back
// from flash, KEYHASH, ED25519, security counter) before it is installed; the security
// counter is recorded when the image is confirmed. A device without keys installs images
// as before (the config's sha256 is then the integrity check). Each function composes the
// status message for the engine, which reports it.
import { LogLevel } from "../abi";
import { logText } from "../host";
import {
  imageBodySize, imageHeaderCheck, imageHeaderLoad, imageRomFixed, imageTlvScan,
  imageVersionText, imageVersionTextLength, tlvHasSecurityCounter, tlvKeyHash, tlvSecurityCounter, tlvSha256,
} from "../image/mcuboot";
import { ImageProblem, imageProblem, noteProblemSlot, sayImageProblem } from "../image/problem";
import { imageDigest, imageVerify } from "../image/verify";
import { StorageStatus, storageStatusName } from "../storage/status";
import { headerArrived, headerJustArrived } from "./header_arrival";
import { inactiveSlotName } from "./image_store";
import { sayRunAddress, slotRunAddress } from "./slot_address";
import {
  trustStoreKeyCount, trustStoreLoad, trustStorePresent, trustStoreRaiseCounter, trustStoreSecurityCounter,
} from "../storage/trust_store";
import { messageClear, say, sayBytes, sayHex, sayNumber, sayText } from "../message";
import { text } from "../text";

export const enum SignedStep {
  /** Nothing to report: go on. */
  Continue = 0,
  /** A check passed; the message says which (a DOWNLOAD_STEP). */
  Passed = 1,
  /** The image is refused; the message says why. */
  Refused = 2,
}

/** At boot: reads the trust store (a host without area 3 has none). */
export function loadTrustedKeys(): void {
  const status = trustStoreLoad();
  if (status != StorageStatus.Ok && status != StorageStatus.NoRecord && status != StorageStatus.FlashNoSuchArea) {
    logText(LogLevel.Error, text("cannot read the trust store: "), storageStatusName(status), text("; no keys trusted"));
  }
}

/** Whether images must be signed: the trust store holds at least one key. */
export function requiresSignedImages(): bool {
  return trustStorePresent() && trustStoreKeyCount() > 0;
}

/** TEST_STEP text for a device with keys. */
export function sayTrustPolicy(): void {
  say("this device trusts ");
  sayNumber(trustStoreKeyCount());
  sayText(trustStoreKeyCount() == 1 ? text(" key") : text(" keys"));
  say(": only an MCUboot image signed by one of them installs");
}

/**
 * A chunk of the image at `fileOffset` is about to be written. Once the header's 32 bytes
 * are in (header_arrival.ts) they are checked once against the config's size (0: unknown),
 * the slot (its size, and the address it runs from: slot_address.ts) and the config's version.
 */
export function signedImageChunk(
  ptr: usize, len: u32, fileOffset: u32, fileSize: u32, slot: i32, slotSize: u32, version: usize, versionLength: i32,
): SignedStep {
  if (!headerJustArrived(ptr, len, fileOffset, slot)) return SignedStep.Continue;
  messageClear();
  noteProblemSlot(inactiveSlotName());
  if (imageHeaderCheck(fileSize, slotSize, slotRunAddress(slot), version, versionLength) != ImageProblem.None) {
    sayProblem(version, versionLength);
    return SignedStep.Refused;
  }
  say("MCUboot image header: version ");
  sayVersion();
  say(", body of ");
  sayNumber(imageBodySize());
  say(" bytes");
  if (imageRomFixed()) {
    say("; ");
    sayRunAddress(slot);
  }
  return SignedStep.Passed;
}

/** The file ended: `fileSize` bytes are in `slot`. Verifies the whole image. */
export function signedImageVerify(slot: i32, fileSize: u32, version: usize, versionLength: i32): SignedStep {
  messageClear();
  if (!headerArrived()) {
    say("image of ");
    sayNumber(fileSize);
    say(" bytes is shorter than an MCUboot header (32 bytes)");
    return SignedStep.Refused;
  }
  if (imageVerify(slot, fileSize) != ImageProblem.None) {
    sayProblem(version, versionLength);
    return SignedStep.Refused;
  }
  say("image hash ");
  sayHex(imageDigest, 32);
  say(" matches its SHA256 TLV; ED25519 signature verified with trusted key ");
  sayHex(tlvKeyHash, 8);
  if (tlvHasSecurityCounter()) {
    say("; security counter ");
    sayNumber(tlvSecurityCounter());
  }
  return SignedStep.Passed;
}

/** Whether the last refusal may be mended by downloading again (bytes that differ from the signed hash). */
export function signedImageRetryable(): bool {
  return imageProblem() == ImageProblem.HashMismatch;
}

/**
 * The image in `slot` was confirmed healthy: records its security counter (only ever
 * raised; the trust store keeps it across power cuts). Appends "; security counter N
 * recorded" to the message when it did.
 */
export function signedImageConfirmed(slot: i32): void {
  if (!requiresSignedImages()) return;
  if (!imageHeaderLoad(slot) || imageTlvScan(slot, 0) != ImageProblem.None || !tlvHasSecurityCounter()) return;
  const counter = tlvSecurityCounter();
  if (counter <= trustStoreSecurityCounter()) return;
  const status = trustStoreRaiseCounter(counter);
  if (status != StorageStatus.Ok) {
    logText(LogLevel.Error, text("cannot record the security counter: "), storageStatusName(status));
    return;
  }
  say("; security counter ");
  sayNumber(counter);
  say(" recorded");
}

function sayVersion(): void {
  const len = imageVersionTextLength();
  sayBytes(imageVersionText(), len);
}

function sayProblem(version: usize, versionLength: i32): void {
  sayImageProblem(imageVersionText(), imageVersionTextLength(), version, versionLength, imageDigest, imageProblem() == ImageProblem.HashMismatch ? tlvSha256 : tlvKeyHash);
}
