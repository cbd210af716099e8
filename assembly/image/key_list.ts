// A signed key-list update: a new list of trusted keys, accepted only when signed by a key
// the device already trusts, so keys are added and revoked without re-flashing. It travels
// in MCUboot's image format (so `imgtool sign` signs it like firmware) with this body:
//
//   "OTAUKEYS" (8 bytes) | generation u32 | key count u32 (1..4) | raw Ed25519 keys, 32 bytes each
//
// The generation must be higher than the one in force, so an old signed list (one that
// still names a revoked key) cannot be replayed. The new list is written to the trust store
// power-fail safely (its two copies: the old list stays in force until the new copy is
// committed). The image's security counter does not apply to key lists.
import {
  IMAGE_IN_MEMORY, imageBodySize, imageHeaderCheck, imageHeaderLoad, imageHeaderSize, imageMemoryBase,
  imageSetMemorySource, imageVersionText, imageVersionTextLength, tlvKeyHash, tlvSha256,
} from "./mcuboot";
import { ImageProblem, imageProblem, sayImageProblem } from "./problem";
import { imageDigest, imageVerify } from "./verify";
import { StorageStatus, storageStatusName } from "../storage/status";
import {
  TRUST_KEYS_MAX, TRUST_KEY_SIZE, trustStoreGeneration, trustStoreKeyCount, trustStorePresent, trustStoreReplaceKeys,
} from "../storage/trust_store";
import { say, sayHex, sayNumber, sayText } from "../message";
import { text } from "../text";

const KEY_LIST_MAGIC: u64 = 0x5359454b5541544f; // "OTAUKEYS" little-endian
const KEY_LIST_FIXED: u32 = 16;

export const enum KeyListResult {
  Accepted = 0,
  /** No trust store, or no key in it to authorise a new list. */
  NoTrust = 1,
  /** Malformed, not signed by a trusted key, or not newer. */
  Refused = 2,
  /** The trust store could not be written; the old list stays in force. */
  WriteFailed = 3,
}

/**
 * Checks and applies the signed key list of `len` bytes at `ptr`, composing the message
 * that says what happened (the caller has cleared it).
 */
export function keyListApply(ptr: usize, len: u32): KeyListResult {
  if (!trustStorePresent() || trustStoreKeyCount() == 0) {
    say("key list refused: this device trusts no key that could authorise it");
    return KeyListResult.NoTrust;
  }
  say("key list refused: ");
  imageSetMemorySource(ptr, len);
  if (!imageHeaderLoad(IMAGE_IN_MEMORY)) {
    say("it is ");
    sayNumber(len);
    say(" bytes, shorter than an MCUboot header");
    return KeyListResult.Refused;
  }
  // Its version is not checked against a config: a key list has none.
  // Nor does it run from anywhere (run address 0: not checked).
  const problem = imageHeaderCheck(len, len, 0, imageVersionText(), imageVersionTextLength()) != ImageProblem.None
    ? imageProblem()
    : imageVerify(IMAGE_IN_MEMORY, len, false);
  if (problem != ImageProblem.None) {
    sayImageProblem(imageVersionText(), imageVersionTextLength(), 0, 0, imageDigest,
      problem == ImageProblem.HashMismatch ? tlvSha256 : tlvKeyHash);
    return KeyListResult.Refused;
  }
  const body = imageMemoryBase() + imageHeaderSize();
  const size = imageBodySize();
  const count = size >= KEY_LIST_FIXED ? load<u32>(body, 12) : 0;
  if (size < KEY_LIST_FIXED || load<u64>(body) != KEY_LIST_MAGIC || count == 0 || count > TRUST_KEYS_MAX
    || size != KEY_LIST_FIXED + count * TRUST_KEY_SIZE) {
    say("its body is not a key list (\"OTAUKEYS\", generation, 1 to 4 keys of 32 bytes); body of ");
    sayNumber(size);
    say(" bytes");
    return KeyListResult.Refused;
  }
  const generation = load<u32>(body, 8);
  if (generation <= trustStoreGeneration()) {
    say("its generation ");
    sayNumber(generation);
    say(" is not newer than the one in force, ");
    sayNumber(trustStoreGeneration());
    return KeyListResult.Refused;
  }
  const written = trustStoreReplaceKeys(body + KEY_LIST_FIXED, count, generation);
  if (written != StorageStatus.Ok) {
    say("writing the trust store failed (");
    sayText(storageStatusName(written));
    say("); the old list stays in force");
    return KeyListResult.WriteFailed;
  }
  return KeyListResult.Accepted;
}

/** The message of an accepted list (after keyListApply returned Accepted; the caller clears first). */
export function sayKeyListAccepted(): void {
  say("key list generation ");
  sayNumber(trustStoreGeneration());
  say(" signed by trusted key ");
  sayHex(tlvKeyHash, 8);
  say(" accepted: ");
  sayNumber(trustStoreKeyCount());
  sayText(trustStoreKeyCount() == 1 ? text(" key trusted") : text(" keys trusted"));
}
