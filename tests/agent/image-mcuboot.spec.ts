// MCUboot image parsing (image/mcuboot.ts): the header checks made as soon as its 32 bytes
// arrive, and the TLV walk over flash. Images are laid out here by hand in imgtool's
// format; tests/node/signed-image*.test.ts hold the same code to images the real imgtool made.
import {
  imageHeaderCheck, imageHeaderFeed, imageHeaderLoad, imageHeaderReset, imageHashedLength, imageLoadAddress, imageRomFixed,
  imageRunAddressCheck, imageTlvScan,
  tlvHasKeyHash, tlvHasSecurityCounter, tlvHasSha256, tlvHasSignature, tlvSecurityCounter, tlvSha256,
} from "../../assembly/image/mcuboot";
import { ImageProblem } from "../../assembly/image/problem";
import { Area } from "../../assembly/abi";
import { flashPoke, flashSetup } from "./storage-flash";

const image = memory.data(2048);
let imageLength: u32 = 0;
const BODY: u32 = 1000;
const HEADER: u32 = 0x200;

function tlv(at: u32, type: u16, length: u16, fill: u8): u32 {
  store<u16>(image + at, type);
  store<u16>(image + at, length, 2);
  memory.fill(image + at + 4, fill, length);
  return at + 4 + length;
}

/** imgtool's layout: header 0x200, body, protected {security counter}, unprotected {SHA256, KEYHASH, ED25519}. */
function build(counter: bool): void {
  memory.fill(image, 0, 2048);
  store<u32>(image, 0x96f3b83d);
  store<u16>(image, <u16>HEADER, 8);
  store<u16>(image, counter ? 12 : 0, 10);
  store<u32>(image, BODY, 12);
  store<u8>(image, 3, 20);
  store<u8>(image, 1, 21);
  store<u16>(image, 0, 22);
  store<u32>(image, 0, 24);
  for (let i: u32 = 0; i < BODY; i++) store<u8>(image + HEADER + i, <u8>(i * 7));
  let at = HEADER + BODY;
  if (counter) {
    store<u16>(image + at, 0x6908);
    store<u16>(image + at, 12, 2);
    at = tlv(at + 4, 0x50, 4, 0);
    store<u32>(image + at - 4, 5);
  }
  const info = at;
  store<u16>(image + at, 0x6907);
  at = tlv(at + 4, 0x10, 32, 0xaa);
  at = tlv(at, 0x01, 32, 0xbb);
  at = tlv(at, 0x24, 64, 0xcc);
  store<u16>(image + info, <u16>(at - info), 2);
  imageLength = at;
}

function install(): void {
  flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
  for (let i: u32 = 0; i < imageLength; i++) flashPoke(Area.SlotB, i, load<u8>(image + i));
  imageHeaderReset();
  imageHeaderFeed(image, 32, 0);
}

const VERSION = "3.1.0";
function checkHeader(fileSize: u32, slotSize: u32, runAddress: u32 = 0): ImageProblem {
  const text = String.UTF8.encode(VERSION);
  return imageHeaderCheck(fileSize, slotSize, runAddress, changetype<usize>(text), text.byteLength);
}

describe("MCUboot image header", () => {
  it("collects the 32 header bytes across chunks of any size and accepts imgtool's layout", () => {
    build(true);
    imageHeaderReset();
    expect(imageHeaderFeed(image, 5, 0)).toBe(false);
    expect(imageHeaderFeed(image + 5, 20, 5)).toBe(false);
    expect(imageHeaderFeed(image + 25, 3000, 25)).toBe(true);
    expect(checkHeader(imageLength, 8192)).toBe(ImageProblem.None);
    expect(imageHashedLength()).toBe(HEADER + BODY + 12);
  });

  it("refuses a wrong magic, a header size under 32, an encrypted image, a protected size under 4", () => {
    build(false);
    store<u8>(image, 0x3e);
    install();
    expect(checkHeader(imageLength, 8192)).toBe(ImageProblem.BadMagic);
    build(false);
    store<u16>(image, 16, 8);
    install();
    expect(checkHeader(imageLength, 8192)).toBe(ImageProblem.HeaderSizeInvalid);
    build(false);
    store<u32>(image, 0x04, 16);
    install();
    expect(checkHeader(imageLength, 8192)).toBe(ImageProblem.Encrypted);
    build(false);
    store<u16>(image, 2, 10);
    install();
    expect(checkHeader(imageLength, 8192)).toBe(ImageProblem.ProtectedSizeInvalid);
  });

  it("refuses an image larger than the slot or than the config's size, and a version other than the config's", () => {
    build(false);
    install();
    expect(checkHeader(imageLength, 1024)).toBe(ImageProblem.LargerThanSlot);
    expect(checkHeader(1000, 8192)).toBe(ImageProblem.LargerThanFile);
    expect(checkHeader(0, 8192)).toBe(ImageProblem.None); // size unknown: only the slot bounds it
    store<u8>(image, 2, 20);
    install();
    expect(checkHeader(imageLength, 8192)).toBe(ImageProblem.VersionDiffers);
  });

  it("refuses an image flagged IMAGE_F_ROM_FIXED for another address than the slot's, and checks nothing when either is not given", () => {
    build(false);
    store<u32>(image, 0x21040000, 4); // load_addr: linked for 0x21040000
    store<u32>(image, 0x100, 16); // IMAGE_F_ROM_FIXED
    install();
    expect(imageRomFixed()).toBe(true);
    expect(imageLoadAddress()).toBe(0x21040000);
    expect(checkHeader(imageLength, 8192, 0x21080000)).toBe(ImageProblem.LinkedElsewhere);
    expect(imageRunAddressCheck(0x21080000)).toBe(ImageProblem.LinkedElsewhere);
    expect(checkHeader(imageLength, 8192, 0x21040000)).toBe(ImageProblem.None);
    expect(checkHeader(imageLength, 8192, 0)).toBe(ImageProblem.None); // the slot's address not known
    store<u32>(image, 0, 16); // the same address without the flag: may run from either slot
    install();
    expect(imageRomFixed()).toBe(false);
    expect(checkHeader(imageLength, 8192, 0x21080000)).toBe(ImageProblem.None);
  });
});

describe("MCUboot TLV area", () => {
  it("finds the SHA256, KEYHASH, ED25519 and protected security counter TLVs of imgtool's layout", () => {
    build(true);
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.None);
    expect(tlvHasSha256() && tlvHasKeyHash() && tlvHasSignature() && tlvHasSecurityCounter()).toBe(true);
    expect(tlvSecurityCounter()).toBe(5);
    expect(load<u8>(tlvSha256)).toBe(0xaa);
    build(false);
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.None);
    expect(tlvHasSecurityCounter()).toBe(false);
  });

  it("reads the header back from flash as it arrived", () => {
    build(true);
    install();
    imageHeaderReset();
    expect(imageHeaderLoad(Area.SlotB)).toBe(true);
    expect(checkHeader(imageLength, 8192)).toBe(ImageProblem.None);
  });

  it("refuses a wrong info magic or size, an entry running past the end, a wrong length, a repeated TLV", () => {
    build(true);
    store<u16>(image + HEADER + BODY, 0x6907);
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.TlvInfoMagic);
    build(true);
    store<u16>(image + HEADER + BODY, 16, 2);
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.TlvInfoSize);
    build(false);
    store<u16>(image + HEADER + BODY + 4 + 36 + 36, 200, 2); // ED25519 claims 200 bytes
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.TlvEntryOverruns);
    build(false);
    store<u16>(image + HEADER + BODY + 4, 0x24); // the SHA256 entry retyped: an ED25519 of 32 bytes
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.TlvLength);
    build(false);
    store<u16>(image + HEADER + BODY + 4 + 36, 0x10); // KEYHASH retyped: a second SHA256
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.TlvRepeated);
  });

  it("refuses a security counter outside the protected TLVs, and a TLV area that does not end with the file", () => {
    build(false);
    store<u16>(image + HEADER + BODY + 4 + 36, 0x50);
    store<u16>(image + HEADER + BODY + 4 + 36, 4, 2);
    store<u16>(image + HEADER + BODY + 4 + 36 + 8, 0xffff); // the rest of the old KEYHASH as an unknown TLV
    store<u16>(image + HEADER + BODY + 4 + 36 + 8, 24, 2);
    install();
    expect(imageTlvScan(Area.SlotB, imageLength)).toBe(ImageProblem.CounterUnprotected);
    build(false);
    install();
    expect(imageTlvScan(Area.SlotB, imageLength + 4)).toBe(ImageProblem.TlvAreaLengthDiffers);
    expect(imageTlvScan(Area.SlotB, imageLength - 1)).toBe(ImageProblem.TlvAreaLengthDiffers);
  });
});
