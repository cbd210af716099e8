// `otau-sim pack`: what an OEM runs to publish a firmware image — the digest and size, the
// otau_info tag value for a Murano package_* content item, the config_otau document it
// carries, and the Kaa software definition for the same image.
import { basename } from "node:path";
import type { Command } from "commander";
import { sha256Hex } from "../device/firmware-image.ts";
import { isSemver } from "../kaa/semver.ts";
import { encodeOtauInfo, type OtauPackageInfo } from "../murano/otau-documents.ts";
import { UsageError, checkVersion, readInputFile } from "./usage.ts";

interface PackOptions {
  image: string;
  version: string;
  name: string;
  url?: string;
  vendor: string;
  product: string;
  author: string;
}

export function registerPack(program: Command): void {
  program
    .command("pack")
    .description("print the otau_info tag value, the config_otau document and the Kaa software JSON for an image")
    .requiredOption("--image <file>", "the firmware image")
    .requiredOption("--version <version>", "its version (Kaa needs a semantic version)")
    .requiredOption("--name <name>", "human-readable name")
    .option("--url <url>", "where devices will download it (default https://updates.example.com/<file name>; otau-sim run serves any URL ending in the file name)")
    .option("--vendor <vendor>", "otau_info vendor", "Acme")
    .option("--product <product>", "otau_info product", "IoT Gateway1")
    .option("--author <author>", "otau_info author", "otau-sim pack")
    .action((options: PackOptions) => pack(options));
}

function pack(options: PackOptions): void {
  const bytes = readInputFile("--image", options.image);
  const version = checkVersion("--version", options.version);
  if (options.name.trim() === "") throw new UsageError("--name must not be empty");
  const url = options.url ?? `https://updates.example.com/${encodeURIComponent(basename(options.image))}`;
  if (!/^https?:\/\/[^/]/i.test(url)) throw new UsageError(`--url must be an http:// or https:// URL, got "${url}"`);
  const digest = sha256Hex(bytes);
  const config = { version, name: options.name, type: "FILE" as const, payload: url, sha256: digest, size: bytes.length };
  const info: OtauPackageInfo = { author: options.author, vendor: options.vendor, product: options.product, config_otau: config };
  const packageId = `package_${[options.vendor, options.product, version].map(slug).join("_")}`;
  const software = {
    version,
    upgradableFrom: [],
    rolloutStrategy: "general",
    specification: { sha256: digest, size: bytes.length },
    metadata: { name: options.name },
  };
  console.log(`image ${options.image}: ${bytes.length} bytes, sha256 ${digest}\n`);
  console.log(`otau_info tag value (murano content upload ${packageId} --tags otau_info=<value>):`);
  console.log(`${encodeOtauInfo(info)}\n`);
  console.log("config_otau (what applying the package writes to the device):");
  console.log(`${JSON.stringify(config, null, 2)}\n`);
  console.log("Kaa software (POST /api/v1/applications/<app>/software, then PUT …/software/<version>/file with the image; fill in upgradableFrom):");
  console.log(JSON.stringify(software, null, 2));
  if (!isSemver(version)) console.error(`otau-sim pack: note: "${version}" is not a semantic version; Kaa will refuse it`);
}

/** As in the Murano CLI's example package_acme_iotgw1_prod_1-0-1: lower case, "-" for anything else. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
}
