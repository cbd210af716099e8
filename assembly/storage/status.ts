// Every outcome of a storage call, as one enum with one name table. The agent never
// throws (AssemblyScript's `throw` is an abort), so each call returns one of these;
// the names are UTF-8 text constants in static data, for logs and `otau_in` messages.
import { FlashCode } from "../abi";
import { Text, text } from "../text";

export const enum StorageStatus {
  Ok = 0,

  // The host's flash import refused the call (abi.ts FlashCode, docs/abi.md "Flash").
  FlashNoSuchArea = FlashCode.NoSuchArea,
  FlashOutOfRange = FlashCode.OutOfRange,
  FlashMisaligned = FlashCode.Misaligned,
  FlashNotErased = FlashCode.NotErased,
  FlashDeviceError = FlashCode.DeviceError,
  /** The host returned a code the ABI does not define. */
  FlashUnknownError = -6,

  // The geometry the host reported for an area cannot be used.
  /** Size is zero or not a whole number of sectors. */
  AreaSizeInvalid = -10,
  /** Sector size is zero or not a multiple of the write alignment. */
  SectorSizeInvalid = -11,
  /** Write alignment is not a power of two from 1 to MAX_WRITE_ALIGN. */
  WriteAlignmentInvalid = -12,
  /** Erased value is neither 0xFF nor 0x00. */
  ErasedValueInvalid = -13,
  /** Area 0 cannot hold two boot-record copies plus two journal sectors. */
  BootAreaTooSmall = -14,

  // Slot writer.
  /** The call does not fit the writer's state (no image open). */
  NoImageOpen = -20,
  /** The area is not a slot (1 = A, 2 = B). */
  NotASlot = -21,
  /** The expected image size is larger than the slot. */
  ImageTooLarge = -22,
  /** More bytes arrived than the expected size (or the slot) allows. */
  SizeExceeded = -23,
  /** finish(): bytes received differ from the expected size; see the writer's getters. */
  SizeMismatch = -24,
  /** finish(): the SHA-256 of what reads back from flash differs from the expected one. */
  DigestMismatch = -25,
  /** Flash reads back other bytes than were just written. */
  ReadBackMismatch = -26,
  /** The resume point lies past the expected size. */
  ResumeBeyondSize = -27,

  // Boot record.
  /** Neither copy of the boot record is valid. */
  NoRecord = -30,
  /** The slot holds the running or fallback image and must not be overwritten. */
  SlotInUse = -31,
  /** There is no trial image that has booted, so there is nothing to confirm. */
  NotInTrial = -32,
  /** A version string longer than VERSION_MAX_BYTES. */
  VersionTooLong = -33,
  /** Trial attempts outside 1..255. */
  AttemptsInvalid = -34,

  // Progress journal.
  /** No update is in progress (journal empty or cleared). */
  NoProgress = -40,

  // Trust store (area 3).
  /** Area 3 cannot hold two trust-store copies. */
  TrustAreaTooSmall = -50,
}

/** A constant name for every status: no allocation. */
export function storageStatusName(status: StorageStatus): Text {
  switch (status) {
    case StorageStatus.Ok: return text("ok");
    case StorageStatus.FlashNoSuchArea: return text("flash: no such area");
    case StorageStatus.FlashOutOfRange: return text("flash: out of range");
    case StorageStatus.FlashMisaligned: return text("flash: misaligned");
    case StorageStatus.FlashNotErased: return text("flash: target not erased");
    case StorageStatus.FlashDeviceError: return text("flash: device error");
    case StorageStatus.FlashUnknownError: return text("flash: unknown error code");
    case StorageStatus.AreaSizeInvalid: return text("area size is not a whole number of sectors");
    case StorageStatus.SectorSizeInvalid: return text("sector size is not a multiple of the write alignment");
    case StorageStatus.WriteAlignmentInvalid: return text("write alignment is not a power of two up to 32");
    case StorageStatus.ErasedValueInvalid: return text("erased value is neither 0xFF nor 0x00");
    case StorageStatus.BootAreaTooSmall: return text("boot-record area too small for two copies and a journal");
    case StorageStatus.NoImageOpen: return text("no image is being written");
    case StorageStatus.NotASlot: return text("area is not a slot");
    case StorageStatus.ImageTooLarge: return text("image larger than the slot");
    case StorageStatus.SizeExceeded: return text("more data than the expected size");
    case StorageStatus.SizeMismatch: return text("image size differs from the expected size");
    case StorageStatus.DigestMismatch: return text("image SHA-256 differs from the expected digest");
    case StorageStatus.ReadBackMismatch: return text("flash read back differs from what was written");
    case StorageStatus.ResumeBeyondSize: return text("resume point past the expected size");
    case StorageStatus.NoRecord: return text("no valid boot record");
    case StorageStatus.SlotInUse: return text("slot holds the running or fallback image");
    case StorageStatus.NotInTrial: return text("no booted trial image to confirm");
    case StorageStatus.VersionTooLong: return text("version string too long");
    case StorageStatus.AttemptsInvalid: return text("trial attempts outside 1..255");
    case StorageStatus.NoProgress: return text("no update in progress");
    case StorageStatus.TrustAreaTooSmall: return text("trust-store area too small for two copies");
  }
  return text("unknown storage status");
}
