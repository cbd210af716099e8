// Firmware images the simulator makes: a small header naming the version and whether the
// application will confirm itself healthy after a trial boot, then a deterministic body.
// The agent never reads the header (to it an image is bytes and a digest); the simulated
// application does, to know what it is running.
import { createHash } from "node:crypto";
import { parseImage } from "../image/mcuboot-image.ts";

const MAGIC = Buffer.from("OTAUSIM1", "ascii");
const HEADER_FIXED = MAGIC.length + 2; // magic, healthy flag, version length

export interface FirmwareImageSpec {
  version: string;
  /** Total image size in bytes (header included). */
  size: number;
  /** False: the application never calls on_healthy, so a trial boot of it rolls back. */
  healthy?: boolean;
}

export interface FirmwareHeader {
  version: string;
  healthy: boolean;
}

export function makeFirmwareImage(spec: FirmwareImageSpec): Buffer {
  const version = Buffer.from(spec.version, "utf8");
  if (version.length === 0 || version.length > 64) throw new RangeError(`image version must be 1..64 bytes, got ${version.length}`);
  const headerLength = HEADER_FIXED + version.length;
  if (!Number.isInteger(spec.size) || spec.size < headerLength) {
    throw new RangeError(`image size ${spec.size} is smaller than its ${headerLength}-byte header`);
  }
  const image = Buffer.alloc(spec.size);
  MAGIC.copy(image, 0);
  image[MAGIC.length] = spec.healthy === false ? 0 : 1;
  image[MAGIC.length + 1] = version.length;
  version.copy(image, HEADER_FIXED);
  // Body: SHA-256 in counter mode over the version, so images of different versions differ everywhere.
  for (let at = headerLength, block = 0; at < spec.size; block++) {
    const chunk = createHash("sha256").update(`${spec.version}/${spec.size}/${block}`).digest();
    at += chunk.copy(image, at);
  }
  return image;
}

/**
 * The header of an image made by makeFirmwareImage, or undefined for other bytes. A signed
 * image (MCUboot's format, `otau-sim pack --key`) carries one as its body: it is read there.
 */
export function readFirmwareHeader(bytes: Uint8Array): FirmwareHeader | undefined {
  const signed = parseImage(bytes);
  if (signed) bytes = signed.body;
  if (bytes.length < HEADER_FIXED || !MAGIC.equals(bytes.subarray(0, MAGIC.length))) return undefined;
  const versionLength = bytes[MAGIC.length + 1];
  if (versionLength === 0 || HEADER_FIXED + versionLength > bytes.length) return undefined;
  const version = Buffer.from(bytes.subarray(HEADER_FIXED, HEADER_FIXED + versionLength)).toString("utf8");
  return { version, healthy: bytes[MAGIC.length] === 1 };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
