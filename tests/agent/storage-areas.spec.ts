import { Area } from "../../assembly/abi";
import {
  areaErasedValue, areaLoad, areaSectorSize, areaSize, areaWriteAlign, flashCheckErased,
} from "../../assembly/storage/areas";
import { bootAreaLoad } from "../../assembly/storage/boot_area";
import { StorageStatus, storageStatusName } from "../../assembly/storage/status";
import { flashPoke, flashReport, flashSetup } from "./storage-flash";
import { textString } from "./text-string";

describe("flash areas: geometry from flash_info", () => {
  it("reads size, sector size, write alignment and erased value of each area", () => {
    flashSetup(2048, 256, 8192, 512, 16, 0x00, 0);
    expect<i32>(areaLoad(Area.BootRecord)).toBe(StorageStatus.Ok);
    expect<i32>(areaLoad(Area.SlotB)).toBe(StorageStatus.Ok);
    expect<u32>(areaSize(Area.BootRecord)).toBe(2048);
    expect<u32>(areaSize(Area.SlotB)).toBe(8192);
    expect<u32>(areaSectorSize(Area.SlotB)).toBe(512);
    expect<u32>(areaWriteAlign(Area.SlotB)).toBe(16);
    expect<u8>(areaErasedValue(Area.SlotB)).toBe(0x00);
  });

  it("refuses an area the host does not have", () => {
    expect<i32>(areaLoad(3)).toBe(StorageStatus.FlashNoSuchArea);
    expect<i32>(areaLoad(-1)).toBe(StorageStatus.FlashNoSuchArea);
  });

  it("names the field of a geometry it cannot use", () => {
    flashSetup(16384, 4096, 65536, 4096, 4, 0xff, 0);
    flashReport(Area.SlotA, 65536, 4096, 0, 0xff);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.WriteAlignmentInvalid);
    flashReport(Area.SlotA, 65536, 4096, 12, 0xff);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.WriteAlignmentInvalid);
    flashReport(Area.SlotA, 65536, 4096, 64, 0xff);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.WriteAlignmentInvalid);
    flashReport(Area.SlotA, 65536, 0, 4, 0xff);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.SectorSizeInvalid);
    flashReport(Area.SlotA, 65536, 4098, 4, 0xff);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.SectorSizeInvalid);
    flashReport(Area.SlotA, 0, 4096, 4, 0xff);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.AreaSizeInvalid);
    flashReport(Area.SlotA, 65536 + 1024, 4096, 4, 0xff);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.AreaSizeInvalid);
    flashReport(Area.SlotA, 65536, 4096, 4, 0x7f);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.ErasedValueInvalid);
    flashReport(Area.SlotA, 65536, 4096, 32, 0x00);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.Ok);
  });

  it("requires area 0 to hold two record copies and two journal pages", () => {
    flashSetup(3 * 4096, 4096, 65536, 4096, 4, 0xff, 0);
    expect<i32>(bootAreaLoad()).toBe(StorageStatus.BootAreaTooSmall);
    flashSetup(4 * 4096, 4096, 65536, 4096, 4, 0xff, 0);
    expect<i32>(bootAreaLoad()).toBe(StorageStatus.Ok);
    // Sectors smaller than a record: a copy spans several of them.
    flashSetup(1024, 128, 4096, 128, 32, 0xff, 0);
    expect<i32>(bootAreaLoad()).toBe(StorageStatus.Ok);
    flashSetup(768, 128, 4096, 128, 32, 0xff, 0);
    expect<i32>(bootAreaLoad()).toBe(StorageStatus.BootAreaTooSmall);
  });

  it("tells erased bytes from programmed ones with the area's own erased value", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0x00, 0);
    expect<i32>(areaLoad(Area.SlotA)).toBe(StorageStatus.Ok);
    expect<i32>(flashCheckErased(Area.SlotA, 100, 1000)).toBe(1);
    flashPoke(Area.SlotA, 1099, 0x01);
    expect<i32>(flashCheckErased(Area.SlotA, 100, 1000)).toBe(0);
    expect<i32>(flashCheckErased(Area.SlotA, 100, 999)).toBe(1);
  });

  it("gives every status its own name", () => {
    const statuses: i32[] = [0, -1, -2, -3, -4, -5, -6, -10, -11, -12, -13, -14, -20, -21, -22, -23, -24, -25, -26, -27, -30, -31, -32, -33, -34, -40];
    for (let i = 0; i < statuses.length; i++) {
      const name = textString(storageStatusName(<StorageStatus>statuses[i]));
      expect<string>(name).not.toBe("unknown storage status");
      for (let j = 0; j < i; j++) expect<string>(name).not.toBe(textString(storageStatusName(<StorageStatus>statuses[j])));
    }
    expect<string>(textString(storageStatusName(<StorageStatus>-99))).toBe("unknown storage status");
  });
});
