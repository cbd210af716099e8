// The trust store in area 3 (storage/trust_store.ts): provisioned keys, the recorded
// security counter, and a counter update that survives a power cut at any flash operation.
import { Area } from "../../assembly/abi";
import { crc32 } from "../../assembly/storage/crc32";
import { StorageStatus } from "../../assembly/storage/status";
import {
  trustStoreFindKey, trustStoreKey, trustStoreKeyCount, trustStoreLoad, trustStorePresent,
  trustStoreRaiseCounter, trustStoreSecurityCounter,
} from "../../assembly/storage/trust_store";
import { CutKind, flashCut, flashFailAt, flashPeek, flashPoke, flashSetup, flashTrustArea } from "./storage-flash";

const copy = memory.data(160);

/** Writes a valid trust-store copy (format of docs/boot-record.md "Trust store") as a factory would. */
function setHex(ptr: usize, hex: string): void {
  for (let i = 0; i < hex.length; i += 2) store<u8>(ptr + <usize>(i >> 1), <u8>I32.parseInt(hex.substr(i, 2), 16));
}

function provision(copyIndex: u32, sequence: u32, keyCount: u32, counter: u32, secondKey: string = ""): void {
  memory.fill(copy, 0, 160);
  store<u32>(copy, 0x4b41544f);
  store<u8>(copy, 1, 4);
  store<u8>(copy, <u8>keyCount, 5);
  store<u32>(copy, sequence, 8);
  store<u32>(copy, counter, 12);
  for (let k: u32 = 0; k < keyCount; k++) {
    for (let i: u32 = 0; i < 32; i++) store<u8>(copy + 20 + k * 32 + i, <u8>(k * 40 + i + 1));
  }
  if (secondKey.length == 64) setHex(copy + 20 + 32, secondKey);
  const crc = crc32(copy, 148);
  store<u32>(copy, crc, 148);
  store<u32>(copy, 0x434b544f, 152); // alignment 4: the marker follows the 152-byte payload
  store<u32>(copy, crc, 156);
  const base = copyIndex * 4096;
  for (let i: u32 = 0; i < 160; i++) flashPoke(Area.TrustStore, base + i, load<u8>(copy + i));
}

describe("trust store", () => {
  it("is absent when the host has no area 3, and empty (no keys, counter 0) when area 3 is blank", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.FlashNoSuchArea);
    expect(trustStorePresent()).toBe(false);
    flashTrustArea(8192, 4096);
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.NoRecord);
    expect(trustStorePresent()).toBe(true);
    expect(trustStoreKeyCount()).toBe(0);
    expect(trustStoreSecurityCounter()).toBe(0);
  });

  it("refuses an area 3 too small for two copies", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    flashTrustArea(4096, 4096);
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.TrustAreaTooSmall);
  });

  it("loads provisioned keys and picks the copy with the newer sequence", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    flashTrustArea(8192, 4096);
    provision(0, 7, 2, 3);
    provision(1, 8, 3, 5);
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.Ok);
    expect(trustStoreKeyCount()).toBe(3);
    expect(trustStoreSecurityCounter()).toBe(5);
    expect(load<u8>(trustStoreKey(2))).toBe(81);
  });

  it("ignores a copy whose CRC does not match", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    flashTrustArea(8192, 4096);
    provision(0, 7, 2, 3);
    provision(1, 8, 3, 5);
    flashPoke(Area.TrustStore, 4096 + 20, flashPeek(Area.TrustStore, 4096 + 20) ^ 1);
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.Ok);
    expect(trustStoreKeyCount()).toBe(2);
  });

  it("finds a key by the SHA-256 of its SubjectPublicKeyInfo (imgtool's KEYHASH), not by the raw key's hash", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    flashTrustArea(8192, 4096);
    provision(0, 1, 2, 0, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"); // RFC 8032 TEST 1's key, as key 1
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.Ok);
    const hash = memory.data(32);
    setHex(hash, "06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9");
    expect(trustStoreFindKey(hash)).toBe(1);
    setHex(hash, "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
    expect(trustStoreFindKey(hash)).toBe(-1);
  });

  it("raises the security counter into the other copy, never lowers it, and keeps the keys", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    flashTrustArea(8192, 4096);
    provision(0, 7, 2, 3);
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.Ok);
    expect<i32>(trustStoreRaiseCounter(9)).toBe(StorageStatus.Ok);
    expect<i32>(trustStoreRaiseCounter(4)).toBe(StorageStatus.Ok);
    expect<i32>(trustStoreLoad()).toBe(StorageStatus.Ok);
    expect(trustStoreSecurityCounter()).toBe(9);
    expect(trustStoreKeyCount()).toBe(2);
    expect(flashPeek(Area.TrustStore, 4096)).toBe(0x4f); // copy 1 holds it
  });

  it("after a power cut at any operation of a counter update holds the old or the new counter, with the keys", () => {
    for (let op = 0; op < 4; op++) {
      for (let kind = 0; kind < 3; kind++) {
        flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
        flashTrustArea(8192, 4096);
        provision(0, 7, 2, 3);
        expect<i32>(trustStoreLoad()).toBe(StorageStatus.Ok);
        flashCut(op, kind, kind == CutKind.Torn ? 70 : -1);
        trustStoreRaiseCounter(9);
        flashFailAt(-1, 0);
        expect<i32>(trustStoreLoad()).toBe(StorageStatus.Ok);
        const counter = trustStoreSecurityCounter();
        expect(counter == 3 || counter == 9).toBe(true, "op " + op.toString() + " kind " + kind.toString());
        expect(trustStoreKeyCount()).toBe(2);
      }
    }
  });
});
