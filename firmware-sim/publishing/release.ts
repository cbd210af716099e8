// What an OEM publishes for one firmware image, computed once for `otau-sim pack`, the
// console's upload and `publish` on serve's stdin: the digest and size, the Murano package
// (a package_* content item whose otau_info tag carries the config_otau document) and the
// Kaa software definition for the same image; for a release with one build per slot, both
// documents' `slots` table (docs/protocols.md, "One build per slot").
import { sha256Hex, readFirmwareHeader } from "../device/firmware-image.ts";
import { encodeOtauInfo, type ConfigOtau, type OtauPackageInfo } from "../murano/otau-documents.ts";

/** MCUboot's image header magic, little-endian at offset 0 (imgtool's output). */
const MCUBOOT_MAGIC = 0x96f3b83d;

export interface ReleaseInput {
  image: Uint8Array;
  version: string;
  name: string;
  /** Where devices download the image. */
  url: string;
  vendor?: string;
  product?: string;
  author?: string;
  description?: string;
  /**
   * A release with one build per slot (images that run in place): each slot's image and URL.
   * The ordinary fields describe `image` and `url`, which should be one of the two (slot B's:
   * a factory device on slot A writes B first); the document's `slots` table gives both.
   */
  slots?: { A: SlotBuild; B: SlotBuild };
}

export interface SlotBuild {
  image: Uint8Array;
  url: string;
}

export interface Release {
  sha256: string;
  size: number;
  /** e.g. package_acme_iot-gateway1_2-0-0, as the Murano CLI's examples name them. */
  packageId: string;
  config: ConfigOtau;
  info: OtauPackageInfo;
  /** The otau_info tag value: percent-encoded JSON. */
  otauInfoTag: string;
  /** The Kaa software JSON (POST /api/v1/applications/<app>/software); upgradableFrom left to the operator. */
  kaaSoftware: {
    version: string; upgradableFrom: string[]; rolloutStrategy: "general";
    specification: { sha256: string; size: number; slots?: Record<"A" | "B", { link: string; sha256: string; size: number }> };
    metadata: { name: string };
  };
}

export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReleaseError";
  }
}

export function describeRelease(input: ReleaseInput): Release {
  const versionBytes = Buffer.byteLength(input.version, "utf8");
  if (versionBytes === 0 || versionBytes > 64) throw new ReleaseError(`the version must be 1 to 64 bytes, got ${versionBytes}`);
  if (input.name.trim() === "") throw new ReleaseError("the name must not be empty");
  if (!/^https?:\/\/[^/]/i.test(input.url)) throw new ReleaseError(`the URL must be http:// or https://, got "${input.url}"`);
  const sha256 = sha256Hex(input.image);
  const config: ConfigOtau = { version: input.version, name: input.name, type: "FILE", payload: input.url, sha256, size: input.image.length };
  if (input.description) config.description = input.description;
  const specification: Release["kaaSoftware"]["specification"] = { sha256, size: input.image.length };
  if (input.slots) {
    const entry = (build: SlotBuild) => {
      if (!/^https?:\/\/[^/]/i.test(build.url)) throw new ReleaseError(`the URL must be http:// or https://, got "${build.url}"`);
      return { sha256: sha256Hex(build.image), size: build.image.length };
    };
    const a = entry(input.slots.A), b = entry(input.slots.B);
    config.slots = { A: { payload: input.slots.A.url, ...a }, B: { payload: input.slots.B.url, ...b } };
    specification.slots = { A: { link: input.slots.A.url, ...a }, B: { link: input.slots.B.url, ...b } };
  }
  const info: OtauPackageInfo = {
    author: input.author ?? "otau-sim",
    vendor: input.vendor ?? "Acme",
    product: input.product ?? "IoT Gateway1",
    config_otau: config,
  };
  return {
    sha256,
    size: input.image.length,
    packageId: `package_${[info.vendor, info.product, input.version].map(slug).join("_")}`,
    config,
    info,
    otauInfoTag: encodeOtauInfo(info),
    kaaSoftware: {
      version: input.version,
      upgradableFrom: [],
      rolloutStrategy: "general",
      specification,
      metadata: { name: input.name },
    },
  };
}

/**
 * Refuses bytes that are no firmware image: an upload must carry the simulator's image header
 * or MCUboot's. Where the header names a version, it must be the one published.
 */
export function checkFirmwareImage(image: Uint8Array, version: string): void {
  if (image.length === 0) throw new ReleaseError("the image is empty");
  const simulated = readFirmwareHeader(image);
  if (simulated) {
    if (simulated.version !== version) throw new ReleaseError(`the image's header says version ${simulated.version}, not ${version}`);
    return;
  }
  const magic = image.length >= 4 ? Buffer.from(image.buffer, image.byteOffset, 4).readUInt32LE(0) : 0;
  if (magic === MCUBOOT_MAGIC) return;
  throw new ReleaseError("the file is not a firmware image: it starts with neither the simulator's OTAUSIM1 header nor MCUboot's magic 0x96f3b83d");
}

/** As in the Murano CLI's example package_acme_iotgw1_prod_1-0-1: lower case, "-" for anything else. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
}
