// `otau-sim demo` (npm start): both clouds on loopback, four devices updating 1.0.0 → 2.0.0
// at once — over Murano HTTP, Murano MQTT and Kaa 1/KP, and one over Murano HTTP through a
// lossy mirror that also loses power half way through its download — with live progress
// and a summary table. Every device trusts the vendor's Ed25519 key (its trust store) and
// the image is signed in MCUboot's format; a fifth device is offered an image re-signed by
// an attacker's key under a forged config with a matching digest, and must refuse it.
// Exit 0 only if the four end on 2.0.0 and their clouds have heard so, and the fifth
// refused and still runs 1.0.0.
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { Channel, DEFAULT_AGENT_PATH, Setting, compileAgent } from "../agent/agent-instance.ts";
import { makeFirmwareImage, sha256Hex } from "../device/firmware-image.ts";
import { KaaMqttLink } from "../device/kaa-mqtt-link.ts";
import { loopbackDevice, runsConfirmed, waitFor } from "../device/loopback-device.ts";
import { MuranoHttpLink } from "../device/murano-http-link.ts";
import { MuranoMqttLink } from "../device/murano-mqtt-link.ts";
import type { SimulatedDevice } from "../device/simulated-device.ts";
import type { CloudLink } from "../device/transport.ts";
import { KaaEmulator } from "../kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../murano/murano-emulator.ts";
import { makeTlsCredentials } from "../network/tls-credentials.ts";
import { ContentServer } from "../network/content-server.ts";
import type { PowerLoss } from "../flash/nor-flash.ts";
import { ed25519PublicKeyBytes, signImage } from "../image/mcuboot-image.ts";
import { progressView, type ProgressView } from "./progress-view.ts";
import { EXIT_FAILED, UsageError } from "./usage.ts";

const FROM = "1.0.0";
const TO = "2.0.0";
const IMAGE_BYTES = 160 * 1024;
const SLOT_BYTES = 192 * 1024;
const DEVICE_TIMEOUT_MS = 30_000;
/** Downloads are throttled so that the bars have something to show. */
const THROTTLE = "throttle:80000";
/** The mirror drops the first connection at 40 000 bytes, then crawls. */
const FLAKY_FAULTS = ["close@40000,times:1", "throttle:60000"];
const TENANT = "acme";
const KAA_APP = "gateway";

interface DemoDevice {
  id: string;
  transport: string;
  device: SimulatedDevice;
  link: CloudLink & { close(): void };
  /** Resolves when the device's cloud has heard that 2.0.0 is installed. */
  cloudHeard: () => Promise<unknown>;
  /** "update": must end on 2.0.0; "refuse": must refuse the attacker's image and stay on 1.0.0. */
  expect: "update" | "refuse";
  startedAt: number;
  finishedAt?: number;
  result: "ok" | "failed" | "refused";
  /** The refusal's message (the attacked device). */
  refusal?: string;
  problem?: string;
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("both clouds on loopback, four devices updating to a signed image at once (Murano HTTP, Murano MQTT, Kaa, flaky network + power cut) and one refusing an attacker-signed image")
    .action(async () => {
      process.exitCode = await runDemo();
    });
}

export async function runDemo(): Promise<number> {
  if (!existsSync(DEFAULT_AGENT_PATH)) throw new UsageError(`${DEFAULT_AGENT_PATH} is missing; run npm run build:agent`);
  const module = await compileAgent();
  // MQTT over TLS as the real clouds serve it; the devices verify this run's CA.
  const tls = await makeTlsCredentials();
  const murano = new MuranoEmulator({ mqtt: { tls } });
  const kaa = new KaaEmulator({ kp1: { tls } });
  const content = new ContentServer();
  const started: Array<{ stop(): Promise<void> }> = [];
  for (const server of [murano, kaa, content]) {
    await server.start();
    started.push(server);
  }
  const devices: DemoDevice[] = [];
  const view = progressView();
  try {
    const factory = makeFirmwareImage({ version: FROM, size: 24 * 1024 });
    const vendor = generateKeyPairSync("ed25519");
    const attacker = generateKeyPairSync("ed25519");
    const trustedKeys = [ed25519PublicKeyBytes(vendor.publicKey)];
    const image = signImage(makeFirmwareImage({ version: TO, size: IMAGE_BYTES }), { version: TO, key: vendor.privateKey, securityCounter: 1 });
    // The attacker's build, signed in the same format with their own key: only the key differs.
    const forged = signImage(makeFirmwareImage({ version: TO, size: IMAGE_BYTES, healthy: true }).fill(0x5a, 64), { version: TO, key: attacker.privateKey });
    console.log(`Murano emulator  ${murano.urls.http}  ${murano.urls.mqtts}`);
    console.log(`Kaa emulator     ${kaa.urls.http}  ${kaa.urls.mqtts}`);
    console.log(`content server   ${content.baseUrl}`);
    console.log(`image ${TO}: ${image.length} bytes, sha256 ${sha256Hex(image)}, MCUboot format signed with the vendor's Ed25519 key`);
    console.log(`forged ${TO}: ${forged.length} bytes, sha256 ${sha256Hex(forged)}, signed with an attacker's key\n`);

    publishMurano(murano, content, image);
    publishKaa(kaa, image);
    publishForged(murano, content, forged);
    const make = (id: string, transport: string, link: DemoDevice["link"], cloudHeard: DemoDevice["cloudHeard"], settings = {}, expect: DemoDevice["expect"] = "update"): DemoDevice => {
      const device = loopbackDevice({ id, module, factoryImage: factory, slotBytes: SLOT_BYTES, cloud: link, settings, trustedKeys });
      const entry: DemoDevice = { id, transport, device, link, cloudHeard, expect, startedAt: 0, result: "failed" };
      devices.push(entry);
      return entry;
    };
    const heardByMurano = (id: string) => () =>
      murano.product.waitForStatus(id, (s) => s.status === "INSTALLED_VERSION" && s.version === TO, DEVICE_TIMEOUT_MS);
    for (const id of ["gw-murano-http", "gw-murano-mqtt", "gw-flaky", "gw-attacked"]) murano.product.addIdentity(id);
    make("gw-murano-http", "Murano HTTP", new MuranoHttpLink({ url: murano.urls.http, identity: "gw-murano-http" }), heardByMurano("gw-murano-http"));
    make("gw-murano-mqtt", "Murano MQTT", new MuranoMqttLink({ httpUrl: murano.urls.http, mqttUrl: murano.urls.mqtts ?? murano.urls.mqtt, identity: "gw-murano-mqtt", ca: tls.ca }), heardByMurano("gw-murano-mqtt"));
    const endpoint = kaa.platform.registerEndpoint(TENANT, KAA_APP, { token: "gw-kaa" });
    make("gw-kaa", "Kaa 1/KP MQTT", new KaaMqttLink({ mqttUrl: kaa.urls.mqtts ?? kaa.urls.mqtt, application: KAA_APP, token: endpoint.token, ca: tls.ca }),
      () => kaa.platform.waitForApplied(TENANT, KAA_APP, endpoint.endpointId, (r) => r.configId === TO && r.success, DEVICE_TIMEOUT_MS),
      { [Setting.Cloud]: 1 });
    const flaky = make("gw-flaky", "Murano HTTP, lossy + power cut", new MuranoHttpLink({ url: murano.urls.http, identity: "gw-flaky" }), heardByMurano("gw-flaky"));
    cutPowerHalfWay(flaky.device);
    make("gw-attacked", "Murano HTTP, forged config", new MuranoHttpLink({ url: murano.urls.http, identity: "gw-attacked" }),
      () => murano.product.waitForStatus("gw-attacked", (s) => s.status === "DOWNLOAD_ERROR" && s.version === TO, DEVICE_TIMEOUT_MS),
      {}, "refuse");

    for (const entry of devices) console.log(`${entry.id.padEnd(15)} ${entry.transport}`);
    console.log();
    // Labels stay short: a terminal line of 80 columns holds the label, the bar and the status.
    for (const entry of devices) {
      view.add(entry.id, entry.id);
      showProgress(entry, view);
    }
    murano.product.applyPackage("gw-murano-http", "package_acme_gateway_2-0-0");
    murano.product.applyPackage("gw-murano-mqtt", "package_acme_gateway_2-0-0");
    murano.product.applyPackage("gw-flaky", "package_acme_gateway_2-0-0_mirror");
    murano.product.applyPackage("gw-attacked", "package_acme_gateway_2-0-0_forged");
    const demoStart = Date.now();
    await Promise.all(devices.map((entry) => updateOne(entry)));
    view.stop();
    console.log(`\n${summaryTable(devices)}\n`);
    const updated = devices.filter((d) => d.expect === "update");
    const attacked = devices.filter((d) => d.expect === "refuse");
    const ok = updated.every((d) => d.result === "ok") && attacked.every((d) => d.result === "refused");
    for (const d of devices.filter((d) => d.problem)) console.error(`${d.id}: ${d.problem}`);
    console.log(`${updated.length} devices ${updated.every((d) => d.result === "ok") ? "all on" : "NOT all on"} ${TO} (signed by the vendor's key) after ${((Date.now() - demoStart) / 1000).toFixed(1)} s`);
    for (const d of attacked) {
      console.log(d.result === "refused"
        ? `${d.id} refused the attacker-signed image (${d.refusal}) and stays on ${FROM}`
        : `${d.id} did NOT refuse the attacker-signed image: ${d.problem ?? `running ${d.device.runningImage?.version ?? "none"}`}`);
    }
    return ok ? 0 : EXIT_FAILED;
  } finally {
    view.stop();
    for (const { device, link } of devices) {
      device.powerOff();
      link.close();
    }
    await Promise.all(started.map((server) => server.stop()));
  }
}

function publishMurano(murano: MuranoEmulator, content: ContentServer, image: Buffer): void {
  content.serveBytes("/fw/gateway-2.0.0.bin", image);
  content.serveBytes("/mirror/fw/gateway-2.0.0.bin", image);
  content.injectFaults("/fw/gateway-2.0.0.bin", THROTTLE);
  for (const spec of FLAKY_FAULTS) content.injectFaults("/mirror/fw/gateway-2.0.0.bin", spec);
  const config = (url: string) => ({ version: TO, name: "Gateway firmware", type: "FILE" as const, payload: url, sha256: sha256Hex(image), size: image.length });
  const info = { author: "otau-sim demo", vendor: "Acme", product: "IoT Gateway1" };
  murano.product.publishPackage("package_acme_gateway_2-0-0", { ...info, config_otau: config(content.url("/fw/gateway-2.0.0.bin")) });
  murano.product.publishPackage("package_acme_gateway_2-0-0_mirror", { ...info, config_otau: config(content.url("/mirror/fw/gateway-2.0.0.bin")) });
}

/** A hostile mirror and a forged config_otau (e.g. a leaked device token) whose sha256 and size match the forged image. */
function publishForged(murano: MuranoEmulator, content: ContentServer, forged: Buffer): void {
  content.serveBytes("/evil/gateway-2.0.0.bin", forged);
  const config = { version: TO, name: "Gateway firmware", type: "FILE" as const, payload: content.url("/evil/gateway-2.0.0.bin"), sha256: sha256Hex(forged), size: forged.length };
  murano.product.publishPackage("package_acme_gateway_2-0-0_forged", { author: "attacker", vendor: "Acme", product: "IoT Gateway1", config_otau: config });
}

function publishKaa(kaa: KaaEmulator, image: Buffer): void {
  kaa.platform.addTenant(TENANT);
  kaa.platform.createApplication(TENANT, KAA_APP);
  kaa.platform.createSoftware(TENANT, KAA_APP, {
    version: TO, upgradableFrom: [FROM], rolloutStrategy: "general", specification: { sha256: sha256Hex(image), size: image.length },
  });
  const file = kaa.platform.uploadFile(TENANT, KAA_APP, TO, image);
  kaa.http.downloadFaults.add(file.key, THROTTLE);
}

/** Once the download passes 50 %, power is lost in the middle of a flash write two operations later. */
function cutPowerHalfWay(device: SimulatedDevice): void {
  let armed = false;
  device.on("report", ({ document }: { document: string }) => {
    const percent = /"status":"DOWNLOAD_STEP".*?(\d+)%/.exec(document);
    if (armed || !percent || Number(percent[1]) < 50) return;
    armed = true;
    device.flash.cutAt({ at: device.flash.operations + 2, kind: "torn" });
  });
}

function showProgress(entry: DemoDevice, view: ProgressView): void {
  let percent = 0;
  entry.device.on("report", ({ channel, document }: { channel: Channel; document: string }) => {
    if (channel !== Channel.MuranoOtauIn && channel !== Channel.KaaStatus) return;
    const status = JSON.parse(document) as { version: string; status: string; message: string };
    const downloaded = /(\d+)% \(/.exec(status.message);
    if (downloaded) percent = Number(downloaded[1]);
    if (status.status === "INSTALLED_VERSION" && status.version === TO) percent = 100;
    const detail = status.status === "INSTALLED_VERSION" ? status.version : status.message;
    if (/^attempt \d+ of \d+ failed/.test(status.message)) view.note(entry.id, status.message);
    view.update(entry.id, { percent, stage: status.status, detail });
  });
  entry.device.on("power-loss", (loss: PowerLoss) => view.note(entry.id, `${loss.message}; rebooting`));
}

async function updateOne(entry: DemoDevice): Promise<void> {
  entry.startedAt = Date.now();
  entry.device.powerOn();
  if (entry.expect === "refuse") return refuseOne(entry);
  try {
    await waitFor(entry.device, runsConfirmed(TO), DEVICE_TIMEOUT_MS, `${TO} confirmed`);
    await entry.cloudHeard();
    entry.finishedAt = Date.now();
    entry.result = "ok";
  } catch (error) {
    entry.problem = (error as Error).message.split("\n")[0];
  }
}

/** The attacked device must report DOWNLOAD_ERROR for the forged image and keep running 1.0.0. */
async function refuseOne(entry: DemoDevice): Promise<void> {
  try {
    const refusal = await entry.cloudHeard() as { message?: string };
    entry.finishedAt = Date.now();
    entry.refusal = refusal?.message?.replace(/[0-9a-f]{64}/, (hash) => `${hash.slice(0, 12)}…`) ?? "DOWNLOAD_ERROR";
    const running = entry.device.runningImage?.version;
    if (running === FROM && entry.device.powerOns === 1) entry.result = "refused";
    else entry.problem = `after the refusal it runs ${running ?? "nothing"} after ${entry.device.powerOns} boots`;
  } catch (error) {
    entry.problem = (error as Error).message.split("\n")[0];
  }
}

function summaryTable(devices: readonly DemoDevice[]): string {
  const header = ["device", "transport", "from → to", "result", "boots", "flash ops", "time"];
  const rows = devices.map((d) => [
    d.id,
    d.transport,
    `${FROM} → ${d.device.runningImage?.version ?? "none"}`,
    d.result,
    String(d.device.powerOns),
    String(d.device.flash.operations),
    d.finishedAt ? `${((d.finishedAt - d.startedAt) / 1000).toFixed(1)} s` : "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
