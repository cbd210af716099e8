// A cloud process of `otau-sim fleet`: the emulated Murano product (`murano`, the first
// argument) or the emulated Kaa platform with its own file downloads (`kaa`), each in a
// process of its own so that accepting connections never waits behind thousands of
// devices' agent calls, and so that each holds only its own devices' sockets (one process
// with both reached the 20,000 open files a process may hold at 15,000 devices). Murano's
// package links to the content process (content-process.ts). The parent sends the plan,
// starts the rollout and asks at the end which devices this cloud knows to run the new version.
import { EventEmitter } from "node:events";
import { makeFirmwareImage, sha256Hex } from "../device/firmware-image.ts";
import { KaaEmulator } from "../kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../murano/murano-emulator.ts";
import { FROM_VERSION, KAA_APPLICATION, KAA_TENANT, OUTAGE_FAULT, TO_VERSION, type CloudName, type FleetDevice, type FleetPlan, type FromCloud, type ToCloud } from "./plan.ts";

const PACKAGE = "package_fleet_gw_2-0-0";

const send = (message: FromCloud): void => {
  process.send?.(message);
};

const cloud = process.argv[2] as CloudName;
const serves = (device: FleetDevice): boolean => (device.transport === "kaa") === (cloud === "kaa");

// Every long-poll listens for the server's stop: thousands at once are expected, not a leak.
EventEmitter.defaultMaxListeners = 0;
let murano: MuranoEmulator | undefined;
let kaa: KaaEmulator | undefined;
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
  const broker = plan.brokers?.length ? { url: plan.brokers[0] } : undefined;
  image = makeFirmwareImage({ version: TO_VERSION, size: plan.imageBytes });
  const devices = plan.devices.filter(serves);
  if (cloud === "murano") {
    murano = new MuranoEmulator(broker ? { mqtt: { broker } } : {});
    await murano.start();
    murano.product.publishPackage(PACKAGE, {
      author: "otau-sim fleet", vendor: "Acme", product: "Fleet Gateway",
      config_otau: { version: TO_VERSION, name: "Fleet gateway firmware", type: "FILE", payload: imageUrl, sha256: sha256Hex(image), size: image.length },
    });
    for (const device of devices) murano.product.addIdentity(device.id);
  } else {
    kaa = new KaaEmulator(broker ? { kp1: { broker } } : {});
    await kaa.start();
    kaa.platform.addTenant(KAA_TENANT);
    kaa.platform.createApplication(KAA_TENANT, KAA_APPLICATION);
    for (const device of devices) kaa.platform.registerEndpoint(KAA_TENANT, KAA_APPLICATION, { endpointId: device.id, token: device.id, filterIds: [waveFilter(device.wave)] });
  }
  const usage = setInterval(() => {
    const cpu = process.cpuUsage();
    send({ kind: "usage", cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage.rss() });
  }, 1000);
  timers.push(usage);
  send({ kind: "ready", urls: murano ? { muranoHttp: murano.urls.http, muranoMqtt: murano.urls.mqtt } : { kaaMqtt: kaa!.urls.mqtt } });
}

/**
 * Murano: the package is applied to each wave's devices at its time, as an operator would.
 * Kaa: one software version; all at once is a general rollout, waves are a targeted one
 * with a filter per wave and its rollout date, which the platform's own clock acts on.
 */
function rollout(plan: FleetPlan): void {
  const start = Date.now();
  const waveAt = (wave: number) => start + wave * plan.waveIntervalMs;
  if (murano) {
    const product = murano.product;
    for (let wave = 0; wave < plan.waves; wave++) {
      const identities = plan.devices.filter((d) => d.wave === wave && serves(d)).map((d) => d.id);
      timers.push(setTimeout(() => {
        for (const identity of identities) product.applyPackage(identity, PACKAGE);
      }, waveAt(wave) - Date.now()));
    }
    return;
  }
  const platform = kaa!.platform;
  const specification = { sha256: sha256Hex(image), size: image.length };
  const filters = Array.from({ length: plan.waves }, (_, wave) => ({ filterId: waveFilter(wave), rolloutDate: new Date(waveAt(wave)).toISOString() }));
  const software = { version: TO_VERSION, upgradableFrom: [FROM_VERSION], specification };
  // Suspended until its file is there: a push before that would carry no download link.
  platform.createSoftware(KAA_TENANT, KAA_APPLICATION, { ...software, rolloutStrategy: "suspended" });
  kaaFileKey = platform.uploadFile(KAA_TENANT, KAA_APPLICATION, TO_VERSION, image).key;
  platform.updateSoftware(KAA_TENANT, KAA_APPLICATION, TO_VERSION,
    plan.waves === 1 ? { ...software, rolloutStrategy: "general" } : { ...software, rolloutStrategy: "targeted", filters });
  if (plan.outage) {
    // The content process fails Murano's downloads over the same time.
    const { afterMs, forMs } = plan.outage;
    const downloads = kaa!.http.downloadFaults;
    timers.push(setTimeout(() => {
      downloads.add(kaaFileKey, OUTAGE_FAULT);
      send({ kind: "outage", started: true, at: Date.now() });
    }, afterMs));
    timers.push(setTimeout(() => {
      downloads.clear(kaaFileKey);
      send({ kind: "outage", started: false, at: Date.now() });
    }, afterMs + forMs));
  }
}

/** Which of this cloud's devices it has heard install the new version (the "0 lost" check). */
function verify(plan: FleetPlan): void {
  const devices = plan.devices.filter(serves);
  const notOnTarget = devices.filter((device) => {
    if (kaa) return kaa.platform.endpointSnapshot(KAA_TENANT, KAA_APPLICATION, device.id).currentVersion !== TO_VERSION;
    const last = murano!.product.statusHistory(device.id).at(-1)?.document;
    return !(last?.status === "INSTALLED_VERSION" && last.version === TO_VERSION);
  }).map((device) => device.id);
  send({ kind: "verified", onTarget: devices.length - notOnTarget.length, notOnTarget });
}

async function stop(): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  await Promise.all([murano?.stop(), kaa?.stop()]);
  process.exit(0);
}

function waveFilter(wave: number): string {
  return `wave-${wave + 1}`;
}
