// Why an MCUboot image was refused, with the values the status message names. One problem
// at a time is kept (the first found ends the check).
import { say, sayBytes, sayHex, sayHex32, sayNumber, sayText } from "../message";
import { text } from "../text";

export const enum ImageProblem {
  None = 0,
  BadMagic,
  HeaderSizeInvalid,
  ProtectedSizeInvalid,
  Encrypted,
  LargerThanSlot,
  LargerThanFile,
  VersionDiffers,
  TlvInfoMagic,
  TlvInfoSize,
  TlvEntryOverruns,
  TlvLength,
  TlvRepeated,
  CounterUnprotected,
  TlvAreaLengthDiffers,
  FlashReadFailed,
  NoHash,
  HashMismatch,
  Unsigned,
  NoKeyHash,
  UnknownKey,
  SignatureInvalid,
  CounterLower,
  LinkedElsewhere,
}

/** The bootloader's refusals past ImageProblem's codes (host/boot/boot_image_check.h). */
export const enum BootRefusal {
  /** The verifier could not read the slot or its header. */
  SlotUnreadable = 64,
  /** The trust store (area 3) is there but unreadable. */
  TrustStoreUnreadable = 65,
  /** The translated verifier trapped (the C bootloader, the simulator's). */
  VerifierTrapped = 66,
  /** The C bootloader gave the verifier too little memory. */
  VerifierMemory = 67,
}

let problem = ImageProblem.None;
let first: u64 = 0;
let second: u64 = 0;
let slotName = "";

/** The slot the image would be written to, for the messages that name it ("A" or "B"). */
export function noteProblemSlot(name: string): void {
  slotName = name;
}

/** Keeps `code` and its two values for the message; returns `code`. */
export function noteProblem(code: ImageProblem, a: u64, b: u64): ImageProblem {
  problem = code;
  first = a;
  second = b;
  return code;
}

export function imageProblem(): ImageProblem {
  return problem;
}

/**
 * The message of the last problem. `headerVersion`/`configVersion`: the image's signed
 * version and the config's (VersionDiffers); `digests`: computed hash, TLV hash (HashMismatch)
 * or the key hash (UnknownKey, SignatureInvalid).
 */
export function sayImageProblem(
  headerVersion: usize, headerVersionLength: i32, configVersion: usize, configVersionLength: i32,
  computed: usize, expected: usize,
): void {
  switch (problem) {
    case ImageProblem.BadMagic:
      say("image header magic is "); sayHex32(<u32>first); say(", not MCUboot's "); sayHex32(<u32>second); break;
    case ImageProblem.HeaderSizeInvalid:
      say("image header size "); sayNumber(first); say(" is smaller than the "); sayNumber(second); say("-byte header"); break;
    case ImageProblem.ProtectedSizeInvalid:
      say("image header gives a protected TLV area of "); sayNumber(first); say(" bytes, smaller than its "); sayNumber(second); say("-byte info"); break;
    case ImageProblem.Encrypted:
      say("image header flags "); sayHex32(<u32>first); say(" mark an encrypted image; this device does not decrypt images"); break;
    case ImageProblem.LargerThanSlot:
      say("image header needs at least "); sayNumber(first); say(" bytes (header, body, TLV area); the slot holds "); sayNumber(second); break;
    case ImageProblem.LargerThanFile:
      say("image header needs at least "); sayNumber(first); say(" bytes (header, body, TLV area); the config's size is "); sayNumber(second); break;
    case ImageProblem.VersionDiffers:
      say("image header version "); sayBytes(headerVersion, headerVersionLength); say(" differs from the config's version ");
      sayBytes(configVersion, configVersionLength); break;
    case ImageProblem.TlvInfoMagic:
      say("TLV area malformed: info magic "); sayHex32(<u32>first); say(", expected "); sayHex32(<u32>second); break;
    case ImageProblem.TlvInfoSize:
      say("TLV area malformed: info gives "); sayNumber(first); say(" bytes, expected "); sayNumber(second); break;
    case ImageProblem.TlvEntryOverruns:
      say("TLV area malformed: the entry at byte "); sayNumber(first); say(" runs past the area's end at byte "); sayNumber(second); break;
    case ImageProblem.TlvLength:
      say("TLV area malformed: TLV type "); sayHex32(<u32>first); say(" has length "); sayNumber(second); break;
    case ImageProblem.TlvRepeated:
      say("TLV area malformed: TLV type "); sayHex32(<u32>first); say(" appears again at byte "); sayNumber(second); break;
    case ImageProblem.CounterUnprotected:
      say("TLV area malformed: the security counter at byte "); sayNumber(first); say(" is outside the protected TLVs"); break;
    case ImageProblem.TlvAreaLengthDiffers:
      say("TLV area ends at byte "); sayNumber(first); say(" but the file has "); sayNumber(second); say(" bytes"); break;
    case ImageProblem.FlashReadFailed:
      say("cannot read byte "); sayNumber(first); say(" of the image (past its end, or a flash error)"); break;
    case ImageProblem.NoHash:
      say("image has no SHA256 TLV"); break;
    case ImageProblem.HashMismatch:
      say("image hash read back from flash is "); sayHex(computed, 32); say("; its SHA256 TLV says "); sayHex(expected, 32); break;
    case ImageProblem.Unsigned:
      say("image is not signed (no ED25519 TLV) and this device trusts "); sayNumber(first); sayText(first == 1 ? text(" key") : text(" keys")); break;
    case ImageProblem.NoKeyHash:
      say("image has an ED25519 signature but no KEYHASH TLV naming its key"); break;
    case ImageProblem.UnknownKey:
      say("image is signed by key "); sayHex(expected, 32); say(" (KEYHASH), which this device does not trust"); break;
    case ImageProblem.SignatureInvalid:
      say("ED25519 signature does not verify with trusted key "); sayHex(expected, 32); break;
    case ImageProblem.CounterLower:
      say("image security counter "); sayNumber(first); say(" is lower than the recorded "); sayNumber(second); break;
    case ImageProblem.LinkedElsewhere:
      say("image is linked to run from "); sayHex32(<u32>first); say(" (MCUboot IMAGE_F_ROM_FIXED), but slot "); say(slotName);
      say(" runs from "); sayHex32(<u32>second); say(": this is another slot's build"); break;
    default:
      say("image accepted");
  }
}

/**
 * A bootloader's refusal in a few words (it keeps only the code, in the boot record): the
 * same words as the C bootloader's console line (host/boot/boot_image_text.c). Codes 64 to 67
 * are the image check's own (host/boot/boot_image_check.h).
 */
export function sayBootRefusal(code: i32): void {
  switch (code) {
    case ImageProblem.BadMagic: say("bad header magic"); break;
    case ImageProblem.HeaderSizeInvalid: say("header size invalid"); break;
    case ImageProblem.ProtectedSizeInvalid: say("protected TLV size invalid"); break;
    case ImageProblem.Encrypted: say("encrypted image"); break;
    case ImageProblem.LargerThanSlot: say("image larger than the slot"); break;
    case ImageProblem.LargerThanFile: say("image larger than its record"); break;
    case ImageProblem.VersionDiffers: say("version differs"); break;
    case ImageProblem.TlvInfoMagic: say("TLV info magic wrong"); break;
    case ImageProblem.TlvInfoSize: say("TLV info size wrong"); break;
    case ImageProblem.TlvEntryOverruns: say("TLV entry overruns its area"); break;
    case ImageProblem.TlvLength: say("TLV length wrong"); break;
    case ImageProblem.TlvRepeated: say("TLV repeated"); break;
    case ImageProblem.CounterUnprotected: say("security counter outside the protected TLVs"); break;
    case ImageProblem.TlvAreaLengthDiffers: say("TLV area does not end at the recorded size"); break;
    case ImageProblem.FlashReadFailed: say("flash read failed"); break;
    case ImageProblem.NoHash: say("no SHA256 TLV"); break;
    case ImageProblem.HashMismatch: say("image hash differs from its SHA256 TLV"); break;
    case ImageProblem.Unsigned: say("unsigned image (no ED25519 TLV)"); break;
    case ImageProblem.NoKeyHash: say("no KEYHASH TLV"); break;
    case ImageProblem.UnknownKey: say("signed by a key this device does not trust"); break;
    case ImageProblem.SignatureInvalid: say("ED25519 signature does not verify"); break;
    case ImageProblem.CounterLower: say("security counter lower than the recorded one"); break;
    case ImageProblem.LinkedElsewhere: say("image linked to run from another address"); break;
    case BootRefusal.SlotUnreadable: say("slot unreadable"); break;
    case BootRefusal.TrustStoreUnreadable: say("trust store unreadable"); break;
    case BootRefusal.VerifierTrapped: say("verifier trapped"); break;
    case BootRefusal.VerifierMemory: say("verifier memory too small"); break;
    default: say("refusal code "); sayNumber(<u64>code);
  }
}
