// `otau-sim image`: writes a firmware image of the kind the simulated devices run (a header
// naming its version, then a deterministic body), to publish in the console or serve with
// `run`/`serve --image`.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { makeFirmwareImage, sha256Hex } from "../device/firmware-image.ts";
import { UsageError, checkVersion, parseWholeNumber } from "./usage.ts";

interface ImageOptions {
  version: string;
  size: string;
  out: string;
  unhealthy?: boolean;
}

export function registerImage(program: Command): void {
  program
    .command("image")
    .description("write a simulated device's firmware image of a version and size")
    .requiredOption("--version <version>", "the version the image's header names")
    .requiredOption("--out <file>", "where to write it")
    .option("--size <bytes>", "its size in bytes", "163840")
    .option("--unhealthy", "an application that never confirms itself healthy (its trial boot rolls back)")
    .action((options: ImageOptions) => {
      const image = makeFirmwareImage({
        version: checkVersion("--version", options.version),
        size: parseWholeNumber("--size", options.size, 256, 64 * 1024 * 1024),
        healthy: !options.unhealthy,
      });
      try {
        writeFileSync(options.out, image);
      } catch (error) {
        throw new UsageError(`--out ${options.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      console.log(`${options.out}: version ${options.version}, ${image.length} bytes, sha256 ${sha256Hex(image)}`);
    });
}
