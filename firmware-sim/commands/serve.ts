// `otau-sim serve`: the Murano and Kaa emulators and the content server on loopback until
// interrupted, for real devices or the C host (host/linux) to talk to. Murano has no
// operator API over the network, so packages are applied by typing commands on stdin.
import { basename } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { KaaEmulator } from "../kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../murano/murano-emulator.ts";
import { OtauDocumentError, validateConfigOtau } from "../murano/otau-documents.ts";
import { ContentServer } from "../network/content-server.ts";
import { UsageError, readInputFile, readJsonFile } from "./usage.ts";

const TENANT = "tenant-1";
const KAA_APP = "app-1";

interface ServeOptions {
  device: string[];
  image: string[];
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run both cloud emulators and the content server until interrupted, printing their URLs")
    .option("--device <id>", "a device identity Murano lets activate and a Kaa endpoint token (repeatable)", collect, [])
    .option("--image <file>", "an image the content server serves at /<file name> (repeatable)", collect, [])
    .action((options: ServeOptions) => serve(options));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function serve(options: ServeOptions): Promise<void> {
  const devices = options.device.length > 0 ? options.device : ["device-1"];
  const images = options.image.map((file) => ({ name: basename(file), bytes: readInputFile("--image", file) }));
  const murano = new MuranoEmulator();
  const kaa = new KaaEmulator();
  const content = new ContentServer();
  await murano.start();
  await kaa.start();
  await content.start();
  const bearer = kaa.platform.addTenant(TENANT);
  kaa.platform.createApplication(TENANT, KAA_APP);
  for (const id of devices) {
    murano.product.addIdentity(id);
    kaa.platform.registerEndpoint(TENANT, KAA_APP, { endpointId: id, token: id });
  }
  for (const image of images) content.serveBytes(`/${encodeURIComponent(image.name)}`, image.bytes);

  console.log(`Murano HTTP Device API  ${murano.urls.http}   (activate: POST /provision/activate id=<device>)`);
  console.log(`Murano MQTT             ${murano.urls.mqtt}   (password: the activation token)`);
  console.log(`Kaa REST + downloads    ${kaa.urls.http}   (Authorization: Bearer ${bearer}; application ${KAA_APP})`);
  console.log(`Kaa 1/KP MQTT           ${kaa.urls.mqtt}   (kp1/${KAA_APP}/cmx_ota/<device>/config/json/<id>)`);
  console.log(`content server          ${content.baseUrl}${images.map((i) => `\n  ${content.url(`/${encodeURIComponent(i.name)}`)}`).join("")}`);
  console.log(`devices                 ${devices.join(", ")}`);
  console.log("Apply a package to a Murano device by typing:  apply <device> <config_otau.json>   (see otau-sim pack)");
  console.log("Show what a device reported:                   status <device>");
  console.log("Kaa: POST /api/v1/applications/app-1/software, then PUT …/software/<version>/file with the image.");
  console.log("Ctrl-C stops.");

  const input = createInterface({ input: process.stdin, terminal: false });
  input.on("line", (line) => {
    try {
      operate(murano, line.trim());
    } catch (error) {
      console.error(`otau-sim serve: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  input.close();
  await Promise.all([murano.stop(), kaa.stop(), content.stop()]);
}

/** One operator command typed on stdin. */
function operate(murano: MuranoEmulator, line: string): void {
  const [command, device, file, ...rest] = line.split(/\s+/);
  if (command === "" || command === undefined) return;
  if (command === "apply" && device && file && rest.length === 0) {
    let config;
    try {
      config = validateConfigOtau(readJsonFile("apply", file));
    } catch (error) {
      if (error instanceof OtauDocumentError) throw new UsageError(`${file}: ${error.message}`);
      throw error;
    }
    murano.product.cloudWrite(device, "config_otau", JSON.stringify(config));
    console.log(`config_otau ${config.version} written to ${device}`);
    return;
  }
  if (command === "status" && device && file === undefined) {
    for (const entry of murano.product.statusHistory(device)) console.log(entry.raw);
    return;
  }
  throw new UsageError(`unknown command "${line}"; use: apply <device> <config_otau.json> | status <device>`);
}
