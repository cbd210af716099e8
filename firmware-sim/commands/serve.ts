// `otau-sim serve`: the Murano and Kaa emulators, the content server and the operator console
// on loopback until interrupted, for real devices, the C host (host/linux) or `--simulate`d
// devices to talk to. The operator works in the console (a web page), through its REST API
// (docs/console.md) or by typing commands on stdin (`help` lists them).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { ConsoleServer } from "../console/console-server.ts";
import { runOperatorCommand } from "../console/operator-commands.ts";
import { Operator } from "../console/operator.ts";
import { startSimulatedDevices, type SimulatedDevices } from "../console/simulated-devices.ts";
import { KaaEmulator } from "../kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../murano/murano-emulator.ts";
import { ContentServer } from "../network/content-server.ts";
import { makeTlsCredentials } from "../network/tls-credentials.ts";
import { parseWholeNumber, readInputFile } from "./usage.ts";

const TENANT = "tenant-1";
const KAA_APP = "app-1";

interface ServeOptions {
  device: string[];
  image: string[];
  simulate?: boolean;
  kaaConsent: boolean;
  kaaToken?: string;
  consolePort: string;
  muranoHttpPort: string;
  muranoMqttPort: string;
  kaaHttpPort: string;
  kaaMqttPort: string;
  contentPort: string;
  mqttBroker?: string;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run both cloud emulators, the content server and the operator console until interrupted, printing their URLs")
    .option("--device <id>", "a device identity Murano lets activate and a Kaa endpoint token (repeatable)", collect, [])
    .option("--image <file>", "an image the content server serves at /<file name> (repeatable)", collect, [])
    .option("--simulate", "also run three simulated devices (Murano HTTP, Murano MQTT, Kaa) on 1.0.0 in this process")
    .option("--no-kaa-consent", "Kaa endpoints take updates without an operator's consent")
    .option("--kaa-token <token>", "the Kaa REST bearer token (default: a new random one each start)")
    .option("--console-port <port>", "port of the operator console (0: any free one)", "0")
    .option("--murano-http-port <port>", "port of the Murano HTTP Device API", "0")
    .option("--murano-mqtt-port <port>", "port of the Murano MQTT Device API", "0")
    .option("--kaa-http-port <port>", "port of the Kaa REST API and downloads", "0")
    .option("--kaa-mqtt-port <port>", "port of the Kaa 1/KP broker", "0")
    .option("--content-port <port>", "port of the content server", "0")
    .option("--mqtt-broker <url>", "attach both emulators to this MQTT broker instead of starting their own")
    .action((options: ServeOptions) => serve(options));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function serve(options: ServeOptions): Promise<void> {
  const port = (option: string, text: string) => parseWholeNumber(option, text, 0, 65535);
  const ports = {
    console: port("--console-port", options.consolePort),
    muranoHttp: port("--murano-http-port", options.muranoHttpPort),
    muranoMqtt: port("--murano-mqtt-port", options.muranoMqttPort),
    kaaHttp: port("--kaa-http-port", options.kaaHttpPort),
    kaaMqtt: port("--kaa-mqtt-port", options.kaaMqttPort),
    content: port("--content-port", options.contentPort),
  };
  const devices = options.device.length > 0 || options.simulate ? options.device : ["device-1"];
  const images = options.image.map((file) => ({ name: basename(file), bytes: readInputFile("--image", file) }));
  // Their own brokers serve mqtts:// too, with a CA made for this run and written out for clients.
  const tls = await makeTlsCredentials();
  const caDir = mkdtempSync(join(tmpdir(), "otau-sim-serve-"));
  const caFile = join(caDir, "ca.pem");
  writeFileSync(caFile, tls.ca);
  const broker = options.mqttBroker ? { url: options.mqttBroker } : undefined;
  const murano = new MuranoEmulator({ mqtt: broker ? { broker } : { tls } });
  const kaa = new KaaEmulator({ kp1: broker ? { broker } : { tls } });
  const content = new ContentServer();
  await murano.start({ http: ports.muranoHttp, mqtt: ports.muranoMqtt });
  await kaa.start({ http: ports.kaaHttp, mqtt: ports.kaaMqtt });
  await content.start(ports.content);
  const bearer = kaa.platform.addTenant(TENANT, options.kaaToken);
  kaa.platform.createApplication(TENANT, KAA_APP, { consentRequired: options.kaaConsent });
  for (const id of devices) {
    murano.product.addIdentity(id);
    kaa.platform.registerEndpoint(TENANT, KAA_APP, { endpointId: id, token: id });
  }
  for (const image of images) content.serveBytes(`/${encodeURIComponent(image.name)}`, image.bytes);
  const operator = new Operator({ murano, kaa, content, tenant: TENANT, application: KAA_APP });
  const consoleServer = new ConsoleServer(operator);
  const consoleUrl = await consoleServer.start(ports.console);
  let simulated: SimulatedDevices | undefined;
  if (options.simulate) simulated = await startSimulatedDevices(murano, kaa, TENANT, KAA_APP);

  // Listening before the banner: a Ctrl-C right after it must still stop cleanly.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  console.log(`console                 ${consoleUrl}   (packages, devices, apply, Kaa software and consent)`);
  console.log(`Murano HTTP Device API  ${murano.urls.http}   (activate: POST /provision/activate id=<device>)`);
  console.log(`Murano MQTT             ${murano.urls.mqtts ?? murano.urls.mqtt}   (password: the activation token${broker ? "; topics under murano/<token>/" : ""})`);
  console.log(`Kaa REST + downloads    ${kaa.urls.http}   (Authorization: Bearer ${bearer}; application ${KAA_APP}; consent ${options.kaaConsent ? "required" : "not required"})`);
  console.log(`Kaa 1/KP MQTT           ${kaa.urls.mqtts ?? kaa.urls.mqtt}   (kp1/${KAA_APP}/cmx_ota/<device>/config/json/<id>)`);
  if (!broker) console.log(`MQTT TLS CA             ${caFile}   (plain MQTT: ${murano.urls.mqtt}, ${kaa.urls.mqtt})`);
  console.log(`content server          ${content.baseUrl}${images.map((i) => `\n  ${content.url(`/${encodeURIComponent(i.name)}`)}`).join("")}`);
  if (devices.length > 0) console.log(`devices                 ${devices.join(", ")}`);
  if (simulated) console.log(`simulated here          ${simulated.ids.join(", ")}   (running 1.0.0)`);
  console.log("Type help for the operator commands (packages, devices, publish, apply-package, apply, status). Ctrl-C stops.");

  const input = createInterface({ input: process.stdin, terminal: false });
  input.on("line", (line) => {
    try {
      for (const output of runOperatorCommand(operator, murano.product, line)) console.log(output);
    } catch (error) {
      console.error(`otau-sim serve: ${(error as Error).message}`);
    }
  });
  await stopped;
  input.close();
  simulated?.stop();
  await consoleServer.stop();
  await Promise.all([murano.stop(), kaa.stop(), content.stop()]);
  rmSync(caDir, { recursive: true, force: true });
}
