// `otau-sim pack`: what an OEM runs to publish a firmware image — the digest and size, the
// otau_info tag value for a Murano package_* content item, the config_otau document it
// carries, and the Kaa software definition for the same image. `--json` prints them as one
// object; `--publish <console URL>` uploads the image into a running `otau-sim serve`.
// `--key` first signs the image in MCUboot's format (what imgtool sign writes).
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { isSemver } from "../kaa/semver.ts";
import { describeRelease, ReleaseError, type Release } from "../publishing/release.ts";
import { readEd25519PrivateKey, signImage } from "../image/mcuboot-image.ts";
import { EXIT_FAILED, UsageError, checkVersion, parseWholeNumber, readInputFile, readKeyFile } from "./usage.ts";

interface PackOptions {
  image: string;
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
}

export function registerPack(program: Command): void {
  program
    .command("pack")
    .description("print the otau_info tag value, the config_otau document and the Kaa software JSON for an image, or publish it into a running serve")
    .requiredOption("--image <file>", "the firmware image")
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
    .action(async (options: PackOptions) => {
      if (options.publish !== undefined) process.exitCode = await publish(options);
      else pack(options);
    });
}

function pack(options: PackOptions): void {
  const version = checkVersion("--version", options.version);
  const { bytes, file } = imageToPack(options, version);
  const url = options.url ?? `https://updates.example.com/${encodeURIComponent(basename(file))}`;
  let release: Release;
  try {
    release = describeRelease({ image: bytes, version, name: options.name, url, vendor: options.vendor, product: options.product, author: options.author });
  } catch (error) {
    if (error instanceof ReleaseError) throw new UsageError(`otau-sim pack: ${error.message}`);
    throw error;
  }
  if (options.json) {
    console.log(JSON.stringify({
      image: file, size: release.size, sha256: release.sha256, packageId: release.packageId,
      otau_info: release.otauInfoTag, config_otau: release.config, kaa_software: release.kaaSoftware,
    }));
  } else {
    console.log(`image ${file}: ${release.size} bytes, sha256 ${release.sha256}\n`);
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
  const { bytes } = imageToPack(options, checkVersion("--version", options.version));
  let endpoint: URL;
  try {
    endpoint = new URL("api/packages", options.publish!.endsWith("/") ? options.publish : `${options.publish}/`);
  } catch {
    throw new UsageError(`--publish must be the console URL otau-sim serve printed, got "${options.publish}"`);
  }
  for (const [key, value] of Object.entries({ version: options.version, name: options.name, vendor: options.vendor, product: options.product, author: options.author })) {
    endpoint.searchParams.set(key, value);
  }
  let response: Response;
  try {
    response = await fetch(endpoint, { method: "POST", body: new Uint8Array(bytes), headers: { "Content-Type": "application/octet-stream" } });
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

/** The image as given, or with --key signed in MCUboot's format and written to --out. */
function imageToPack(options: PackOptions, version: string): { bytes: Buffer; file: string } {
  if (!options.key) return { bytes: readInputFile("--image", options.image), file: options.image };
  const key = readKeyFile("--key", options.key, readEd25519PrivateKey);
  const body = readInputFile("--image", options.image);
  const securityCounter = options.securityCounter === undefined ? undefined : parseWholeNumber("--security-counter", options.securityCounter, 0, 0xffffffff);
  let bytes: Buffer;
  try {
    bytes = signImage(body, { version, key, securityCounter });
  } catch (error) {
    throw new UsageError(`--version: ${(error as Error).message}`);
  }
  const file = options.out ?? `${options.image}.signed`;
  try {
    writeFileSync(file, bytes);
  } catch (error) {
    throw new UsageError(`--out ${file}: ${(error as Error).message}`);
  }
  return { bytes, file };
}

function errorText(body: string): string {
  try {
    return String(JSON.parse(body).error);
  } catch {
    return body;
  }
}
