// Flash areas as the host describes them (docs/abi.md "Flash"): the agent reads each
// area's geometry with flash_info, checks it once, and then only does I/O that fits it.
// Nothing here assumes 0xFF, 4 KiB sectors or 4-byte writes.
import { Area, FlashCode } from "../abi";
import { flash_erase, flash_info, flash_read, flash_write } from "../host";
import { StorageStatus } from "./status";

export const AREA_COUNT: i32 = 4;

/** Largest write alignment supported (e.g. 32-byte flash words); sizes the writers' buffers. */
export const MAX_WRITE_ALIGN: u32 = 32;

// Per area: size, sector size, write alignment, erased value (the flash_info layout).
// Cached so that hot paths do not ask the host again.
const GEOMETRY_STRIDE: usize = 16;
const SIZE: usize = 0;
const SECTOR: usize = 4;
const ALIGN: usize = 8;
const ERASED: usize = 12;
const geometry = memory.data(<i32>GEOMETRY_STRIDE * AREA_COUNT, 4);

/** Maps a flash import's return code to a status. */
export function flashStatus(code: i32): StorageStatus {
  if (code == 0) return StorageStatus.Ok;
  if (code <= FlashCode.NoSuchArea && code >= FlashCode.DeviceError) return <StorageStatus>code;
  return StorageStatus.FlashUnknownError;
}

export function isSlot(area: i32): bool {
  return area == Area.SlotA || area == Area.SlotB;
}

/** The other slot of the pair. */
export function otherSlot(slot: i32): i32 {
  return slot == Area.SlotA ? Area.SlotB : Area.SlotA;
}

/**
 * Asks the host for an area's geometry and checks it. Every storage entry point calls
 * this first, so a host that describes its flash wrongly gets a status naming the field.
 */
export function areaLoad(area: i32): StorageStatus {
  if (area < 0 || area >= AREA_COUNT) return StorageStatus.FlashNoSuchArea;
  const at = geometry + <usize>area * GEOMETRY_STRIDE;
  const status = flashStatus(flash_info(area, at));
  if (status != StorageStatus.Ok) return status;
  const size = load<u32>(at + SIZE);
  const sector = load<u32>(at + SECTOR);
  const align = load<u32>(at + ALIGN);
  const erased = load<u32>(at + ERASED);
  if (align == 0 || align > MAX_WRITE_ALIGN || (align & (align - 1)) != 0) return StorageStatus.WriteAlignmentInvalid;
  if (sector == 0 || sector % align != 0) return StorageStatus.SectorSizeInvalid;
  if (size == 0 || size % sector != 0) return StorageStatus.AreaSizeInvalid;
  if (erased != 0xff && erased != 0x00) return StorageStatus.ErasedValueInvalid;
  return StorageStatus.Ok;
}

export function areaSize(area: i32): u32 {
  return load<u32>(geometry + <usize>area * GEOMETRY_STRIDE + SIZE);
}

export function areaSectorSize(area: i32): u32 {
  return load<u32>(geometry + <usize>area * GEOMETRY_STRIDE + SECTOR);
}

export function areaWriteAlign(area: i32): u32 {
  return load<u32>(geometry + <usize>area * GEOMETRY_STRIDE + ALIGN);
}

export function areaErasedValue(area: i32): u8 {
  return <u8>load<u32>(geometry + <usize>area * GEOMETRY_STRIDE + ERASED);
}

/** Rounds up to a multiple of a power-of-two alignment. */
// @ts-ignore: decorator
@inline export function alignUp(value: u32, align: u32): u32 {
  return (value + align - 1) & ~(align - 1);
}

export function flashRead(area: i32, offset: u32, ptr: usize, len: u32): StorageStatus {
  return flashStatus(flash_read(area, offset, ptr, len));
}

/** `offset` and `len` must be multiples of the area's write alignment (the host refuses others). */
export function flashWrite(area: i32, offset: u32, ptr: usize, len: u32): StorageStatus {
  return flashStatus(flash_write(area, offset, ptr, len));
}

/** `offset` and `len` must be multiples of the area's sector size. */
export function flashErase(area: i32, offset: u32, len: u32): StorageStatus {
  return flashStatus(flash_erase(area, offset, len));
}

const PROBE_SIZE: u32 = 64;
const probe = memory.data(<i32>PROBE_SIZE, 8);

/** Whether [offset, offset+len) reads as erased: 1 yes, 0 no, or a negative StorageStatus. */
export function flashCheckErased(area: i32, offset: u32, len: u32): i32 {
  const value = areaErasedValue(area);
  const end = offset + len;
  for (let at = offset; at < end; at += PROBE_SIZE) {
    const n = min(PROBE_SIZE, end - at);
    const status = flashRead(area, at, probe, n);
    if (status != StorageStatus.Ok) return status;
    for (let i: u32 = 0; i < n; i++) {
      if (load<u8>(probe + i) != value) return 0;
    }
  }
  return 1;
}
