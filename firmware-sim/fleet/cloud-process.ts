// The cloud process of `otau-sim fleet`: the emulated Murano product and Kaa platform (with
// Kaa's own file downloads), in a process of their own so that accepting connections never
// waits behind thousands of devices' agent calls; Murano's package links to the content
// process (content-process.ts). The parent sends the plan, starts the rollout and asks at
// the end which devices the clouds know to run the new version.
import { EventEmitter } from "node:events";
import { makeFirmwareImage, sha256Hex } from "../device/firmware-image.ts";
import { KaaEmulator } from "../kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../murano/murano-emulator.ts";
import { FROM_VERSION, KAA_APPLICATION, KAA_TENANT, OUTAGE_FAULT, TO_VERSION, type FleetPlan, type FromCloud, type ToCloud } from "./plan.ts";

const PACKAGE = "package_fleet_gw_2-0-0";

const send = (message: FromCloud): void => {
  process.send?.(message);
};

// Every long-poll listens for the server's stop: thousands at once are expected, not a leak.
EventEmitter.defaultMaxListeners = 0;
let murano = new MuranoEmulator();
let kaa = new KaaEmulator();
let plan: FleetPlan | undefined;
let image: Uint8Array = new Uint8Array(0);
let kaaFileKey = "";
const timers: NodeJS.Timeout[] = [];

process.on("message", (message: ToCloud) => {
  handle(message).catch((error: Error) => send({ kind: "error", message: error.message }));
});
process.on("disconnect", () => void stop());

async function handle(message: ToCloud): Promise<void> {
  switch (message.kind) {
    case "setup":
      plan = message.plan;
      return setup(message.plan, message.imageUrl);
    case "rollout":
      return rollout(plan!);
    case "verify":
      return verify(plan!);
    case "stop":
      return stop();
  }
}

async function setup(plan: FleetPlan, imageUrl: string): Promise<void> {
  if (plan.brokers?.length) {
    const broker = { url: plan.brokers[0] };
    murano = new MuranoEmulator({ mqtt: { broker } });
    kaa = new KaaEmulator({ kp1: { broker } });
  }
  await Promise.all([murano.start(), kaa.start()]);
  image = makeFirmwareImage({ version: TO_VERSION, size: plan.imageBytes });
  murano.product.publishPackage(PACKAGE, {
    author: "otau-sim fleet", vendor: "Acme", product: "Fleet Gateway",
    config_otau: { version: TO_VERSION, name: "Fleet gateway firmware", type: "FILE", payload: imageUrl, sha256: sha256Hex(image), size: image.length },
  });
  kaa.platform.addTenant(KAA_TENANT);
  kaa.platform.createApplication(KAA_TENANT, KAA_APPLICATION);
  for (const device of plan.devices) {
    if (device.transport === "kaa") kaa.platform.registerEndpoint(KAA_TENANT, KAA_APPLICATION, { endpointId: device.id, token: device.id, filterIds: [waveFilter(device.wave)] });
    else murano.product.addIdentity(device.id);
  }
  const usage = setInterval(() => {
    const cpu = process.cpuUsage();
    send({ kind: "usage", cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage.rss() });
  }, 1000);
  timers.push(usage);
  send({ kind: "ready", urls: { muranoHttp: murano.urls.http, muranoMqtt: murano.urls.mqtt, kaaMqtt: kaa.urls.mqtt } });
}

/**
 * Murano: the package is applied to each wave's devices at its time, as an operator would.
 * Kaa: one software version; all at once is a general rollout, waves are a targeted one
 * with a filter per wave and its rollout date, which the platform's own clock acts on.
 */
function rollout(plan: FleetPlan): void {
  const start = Date.now();
  const waveAt = (wave: number) => start + wave * plan.waveIntervalMs;
  const specification = { sha256: sha256Hex(image), size: image.length };
  const filters = Array.from({ length: plan.waves }, (_, wave) => ({ filterId: waveFilter(wave), rolloutDate: new Date(waveAt(wave)).toISOString() }));
  const software = { version: TO_VERSION, upgradableFrom: [FROM_VERSION], specification };
  // Suspended until its file is there: a push before that would carry no download link.
  kaa.platform.createSoftware(KAA_TENANT, KAA_APPLICATION, { ...software, rolloutStrategy: "suspended" });
  kaaFileKey = kaa.platform.uploadFile(KAA_TENANT, KAA_APPLICATION, TO_VERSION, image).key;
  kaa.platform.updateSoftware(KAA_TENANT, KAA_APPLICATION, TO_VERSION,
    plan.waves === 1 ? { ...software, rolloutStrategy: "general" } : { ...software, rolloutStrategy: "targeted", filters });
  for (let wave = 0; wave < plan.waves; wave++) {
    const identities = plan.devices.filter((d) => d.wave === wave && d.transport !== "kaa").map((d) => d.id);
    timers.push(setTimeout(() => {
      for (const identity of identities) murano.product.applyPackage(identity, PACKAGE);
    }, waveAt(wave) - Date.now()));
  }
  if (plan.outage) {
    const { afterMs, forMs } = plan.outage;
    timers.push(setTimeout(() => {
      kaa.http.downloadFaults.add(kaaFileKey, OUTAGE_FAULT);
      send({ kind: "outage", started: true, at: Date.now() });
    }, afterMs));
    timers.push(setTimeout(() => {
      kaa.http.downloadFaults.clear(kaaFileKey);
      send({ kind: "outage", started: false, at: Date.now() });
    }, afterMs + forMs));
  }
}

/** Which devices each cloud has heard install the new version (the "0 lost" check). */
function verify(plan: FleetPlan): void {
  const notOnTarget = plan.devices.filter((device) => {
    if (device.transport === "kaa") return kaa.platform.endpointSnapshot(KAA_TENANT, KAA_APPLICATION, device.id).currentVersion !== TO_VERSION;
    const last = murano.product.statusHistory(device.id).at(-1)?.document;
    return !(last?.status === "INSTALLED_VERSION" && last.version === TO_VERSION);
  }).map((device) => device.id);
  send({ kind: "verified", onTarget: plan.devices.length - notOnTarget.length, notOnTarget });
}

async function stop(): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  await Promise.all([murano.stop(), kaa.stop()]);
  process.exit(0);
}

function waveFilter(wave: number): string {
  return `wave-${wave + 1}`;
}
