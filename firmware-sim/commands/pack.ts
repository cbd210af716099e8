// `otau-sim pack`: what an OEM runs to publish a firmware image — the digest and size, the
// otau_info tag value for a Murano package_* content item, the config_otau document it
// carries, and the Kaa software definition for the same image. `--json` prints them as one
// object; `--publish <console URL>` uploads the image into a running `otau-sim serve`.
// `--key` first signs the image in MCUboot's format (what imgtool sign writes). A release
// with one build per slot (images that run in place) is packed with `--slot-addresses`
// (the simulator's image wrapped once per slot, flagged IMAGE_F_ROM_FIXED at that slot's
// address) or `--slot-images` (two builds made elsewhere, e.g. by imgtool sign --rom-fixed);
// the documents then carry the `slots` table (docs/protocols.md, "One build per slot").
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { isSemver } from "../kaa/semver.ts";
import { describeRelease, ReleaseError, type Release } from "../publishing/release.ts";
import { readEd25519PrivateKey, signImage } from "../image/mcuboot-image.ts";
import { EXIT_FAILED, type Slot, UsageError, checkVersion, parseAddress, parseWholeNumber, readInputFile, readKeyFile, slotPair } from "./usage.ts";

interface PackOptions {
  image?: string;
  version: string;
  name: string;
  url?: string;
  vendor: string;
  product: string;
  author: string;
  json?: boolean;
  publish?: string;
  key?: string;
  out?: string;
  securityCounter?: string;
  romFixed?: string;
  slotAddresses?: string;
  slotImages?: string;
}

/** What is packed: one image, or a build per slot. */
type Packed = { bytes: Buffer; file: string; slots?: Record<Slot, { bytes: Buffer; file: string }> };

export function registerPack(program: Command): void {
  program
    .command("pack")
    .description("print the otau_info tag value, the config_otau document and the Kaa software JSON for an image, or publish it into a running serve")
    .option("--image <file>", "the firmware image (or --slot-images)")
    .requiredOption("--version <version>", "its version (Kaa needs a semantic version)")
    .requiredOption("--name <name>", "human-readable name")
    .option("--url <url>", "where devices will download it (default https://updates.example.com/<file name>; otau-sim run serves any URL ending in the file name)")
    .option("--vendor <vendor>", "otau_info vendor", "Acme")
    .option("--product <product>", "otau_info product", "IoT Gateway1")
    .option("--author <author>", "otau_info author", "otau-sim pack")
    .option("--json", "print one JSON object instead of prose")
    .option("--publish <console-url>", "upload the image to a running otau-sim serve (its console URL); serve's content server hosts it")
    .option("--key <private key PEM>", "sign: wrap the image in MCUboot's format (as imgtool sign --header-size 0x200 --pad-header) signed with this Ed25519 key; what is printed or published is the signed file")
    .option("--out <file>", "with --key: where the signed image goes (default <image>.signed)")
    .option("--security-counter <n>", "with --key: a protected security-counter TLV")
    .option("--rom-fixed <address>", "wrap the image in MCUboot's format flagged IMAGE_F_ROM_FIXED at this address (as imgtool sign --rom-fixed), signed with --key if given")
    .option("--slot-addresses <A=addr,B=addr>", "a build per slot: the image wrapped as with --rom-fixed once per slot's address, into <name>-A.<ext> and <name>-B.<ext> of --out (default --image); the documents get a slots table (--url then holds {slot})")
    .option("--slot-images <A=file,B=file>", "a build per slot made elsewhere (imgtool sign --rom-fixed), packed as they are; the documents get a slots table")
    .action(async (options: PackOptions) => {
      if (options.publish !== undefined) process.exitCode = await publish(options);
      else pack(options);
    });
}

function pack(options: PackOptions): void {
  const version = checkVersion("--version", options.version);
  const packed = imageToPack(options, version);
  const url = (file: string, slot?: Slot) => {
    if (options.url === undefined) return `https://updates.example.com/${encodeURIComponent(basename(file))}`;
    return slot ? options.url.replaceAll("{slot}", slot) : options.url;
  };
  if (packed.slots && options.url !== undefined && !options.url.includes("{slot}")) {
    throw new UsageError(`--url must contain {slot} with a build per slot (each slot's build has its own URL), got "${options.url}"`);
  }
  const slots = packed.slots && {
    A: { image: packed.slots.A.bytes, url: url(packed.slots.A.file, "A") },
    B: { image: packed.slots.B.bytes, url: url(packed.slots.B.file, "B") },
  };
  let release: Release;
  try {
    release = describeRelease({
      image: packed.bytes, version, name: options.name, url: slots ? slots.B.url : url(packed.file),
      vendor: options.vendor, product: options.product, author: options.author, slots,
    });
  } catch (error) {
    if (error instanceof ReleaseError) throw new UsageError(`otau-sim pack: ${error.message}`);
    throw error;
  }
  if (options.json) {
    console.log(JSON.stringify({
      image: packed.file, size: release.size, sha256: release.sha256, packageId: release.packageId,
      ...(packed.slots ? { slots: { A: packed.slots.A.file, B: packed.slots.B.file } } : {}),
      otau_info: release.otauInfoTag, config_otau: release.config, kaa_software: release.kaaSoftware,
    }));
  } else {
    if (packed.slots) {
      for (const slot of ["A", "B"] as const) {
        const build = packed.slots[slot];
        console.log(`slot ${slot}'s build ${build.file}: ${build.bytes.length} bytes, sha256 ${release.config.slots && (release.config.slots as Record<Slot, { sha256: string }>)[slot].sha256}`);
      }
      console.log("(the ordinary payload, sha256 and size name slot B's build, which a factory device on slot A takes first)\n");
    } else {
      console.log(`image ${packed.file}: ${release.size} bytes, sha256 ${release.sha256}\n`);
    }
    console.log(`otau_info tag value (murano content upload ${release.packageId} --tags otau_info=<value>):`);
    console.log(`${release.otauInfoTag}\n`);
    console.log("config_otau (what applying the package writes to the device):");
    console.log(`${JSON.stringify(release.config, null, 2)}\n`);
    console.log("Kaa software (POST /api/v1/applications/<app>/software, then PUT …/software/<version>/file with the image; fill in upgradableFrom):");
    console.log(JSON.stringify(release.kaaSoftware, null, 2));
  }
  if (!isSemver(version)) console.error(`otau-sim pack: note: "${version}" is not a semantic version; Kaa will refuse it, and so will devices that do not allow downgrades`);
}

/** POSTs the image to serve's operator API; prints what serve published. */
async function publish(options: PackOptions): Promise<number> {
  const packed = imageToPack(options, checkVersion("--version", options.version));
  let endpoint: URL;
  try {
    endpoint = new URL("api/packages", options.publish!.endsWith("/") ? options.publish : `${options.publish}/`);
  } catch {
    throw new UsageError(`--publish must be the console URL otau-sim serve printed, got "${options.publish}"`);
  }
  for (const [key, value] of Object.entries({ version: options.version, name: options.name, vendor: options.vendor, product: options.product, author: options.author })) {
    endpoint.searchParams.set(key, value);
  }
  // A build per slot travels as one body, slot A's build then slot B's (serve's console API).
  if (packed.slots) endpoint.searchParams.set("slotASize", String(packed.slots.A.bytes.length));
  const body = packed.slots ? Buffer.concat([packed.slots.A.bytes, packed.slots.B.bytes]) : packed.bytes;
  let response: Response;
  try {
    response = await fetch(endpoint, { method: "POST", body: new Uint8Array(body), headers: { "Content-Type": "application/octet-stream" } });
  } catch (error) {
    throw new UsageError(`--publish ${options.publish}: cannot reach serve (${(error as Error).cause ?? (error as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) {
    console.error(`otau-sim pack: serve refused the package (HTTP ${response.status}): ${errorText(text)}`);
    return EXIT_FAILED;
  }
  console.log(options.json ? text : `published ${JSON.parse(text).id} (${options.version}) to ${options.publish}`);
  return 0;
}

/** The image as given, or wrapped in MCUboot's format (--key, --rom-fixed) and written to --out; or a build per slot. */
function imageToPack(options: PackOptions, version: string): Packed {
  const sources = [options.image, options.slotImages].filter((o) => o !== undefined).length;
  if (sources !== 1) throw new UsageError("give the firmware as --image <file> or as --slot-images A=<file>,B=<file> (one of the two)");
  if (options.slotImages !== undefined) {
    if (options.key || options.romFixed || options.slotAddresses) {
      throw new UsageError("--slot-images packs builds as they are: sign them (imgtool sign --rom-fixed) before, without --key, --rom-fixed or --slot-addresses");
    }
    const files = slotPair("--slot-images", options.slotImages);
    const slots = { A: { bytes: readInputFile("--slot-images", files.A), file: files.A }, B: { bytes: readInputFile("--slot-images", files.B), file: files.B } };
    return { ...slots.B, slots };
  }
  const image = options.image!;
  if (options.romFixed !== undefined && options.slotAddresses !== undefined) throw new UsageError("--rom-fixed and --slot-addresses: give one (one build, or one per slot)");
  if (options.slotAddresses !== undefined) {
    const addresses = slotPair("--slot-addresses", options.slotAddresses);
    const build = (slot: Slot) => wrapImage(options, version, parseAddress("--slot-addresses", addresses[slot]), slotFile(options.out ?? image, slot));
    const slots = { A: build("A"), B: build("B") };
    return { ...slots.B, slots };
  }
  if (!options.key && options.romFixed === undefined) return { bytes: readInputFile("--image", image), file: image };
  const romFixed = options.romFixed === undefined ? undefined : parseAddress("--rom-fixed", options.romFixed);
  return wrapImage(options, version, romFixed, options.out ?? `${image}.${options.key ? "signed" : "mcuboot"}`);
}

/** The image in MCUboot's format (signed with --key if given) written to `file`. */
function wrapImage(options: PackOptions, version: string, romFixed: number | undefined, file: string): { bytes: Buffer; file: string } {
  const key = options.key ? readKeyFile("--key", options.key, readEd25519PrivateKey) : undefined;
  const body = readInputFile("--image", options.image!);
  const securityCounter = options.securityCounter === undefined ? undefined : parseWholeNumber("--security-counter", options.securityCounter, 0, 0xffffffff);
  let bytes: Buffer;
  try {
    bytes = signImage(body, { version, key, securityCounter, romFixed });
  } catch (error) {
    throw new UsageError(`--version: ${(error as Error).message}`);
  }
  try {
    writeFileSync(file, bytes);
  } catch (error) {
    throw new UsageError(`--out ${file}: ${(error as Error).message}`);
  }
  return { bytes, file };
}

/** fw-2.0.0.bin -> fw-2.0.0-A.bin: where slot A's build of it goes. */
function slotFile(file: string, slot: Slot): string {
  const extension = /\.[^./]+$/.exec(file)?.[0] ?? "";
  return `${file.slice(0, file.length - extension.length)}-${slot}${extension}`;
}

function errorText(body: string): string {
  try {
    return String(JSON.parse(body).error);
  } catch {
    return body;
  }
}
