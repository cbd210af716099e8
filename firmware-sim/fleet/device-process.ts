// A device process of `otau-sim fleet`: runs its share of the fleet's devices on one shared
// tick clock and one keep-alive HTTP agent, and sends the parent what changed four times a
// second (phases, retries, failure causes, its CPU time and memory). Started by fleet-run.ts
// with fork(); it has no command line of its own.
import { Agent } from "node:http";
import { Channel, Setting, compileAgent } from "../agent/agent-instance.ts";
import { makeFirmwareImage } from "../device/firmware-image.ts";
import { HttpFetcher } from "../device/http-fetcher.ts";
import { KaaMqttLink } from "../device/kaa-mqtt-link.ts";
import { loopbackDevice } from "../device/loopback-device.ts";
import { MuranoHttpLink } from "../device/murano-http-link.ts";
import { MuranoMqttLink } from "../device/murano-mqtt-link.ts";
import type { SimulatedDevice } from "../device/simulated-device.ts";
import type { CloudLink, Fetcher } from "../device/transport.ts";
import { statusEffect } from "./device-phase.ts";
import { FACTORY_BYTES, FROM_VERSION, KAA_APPLICATION, type CloudUrls, type DeviceUpdate, type FleetDevice, type FleetPlan, type FromDevices, type Phase, type ToDevices } from "./plan.ts";
import { SharedTickClock } from "./tick-clock.ts";

const BATCH_MS = 250;
/** Booted means listening: a fleet is online before its rollout starts. Waited for at most this long. */
const LISTENING_WAIT_MS = 60_000;

interface Running {
  device: SimulatedDevice;
  link: CloudLink & { close(): void };
  phase: Phase;
}

const send = (message: FromDevices): void => {
  process.send?.(message);
};

const running: Running[] = [];
const changed = new Map<number, DeviceUpdate>();
let retries = 0;
let failures: Record<string, number> = {};
let batchTimer: NodeJS.Timeout | undefined;

process.on("message", (message: ToDevices) => {
  if (message.kind === "start") start(message.devices, message.urls, message.plan, message.broker).catch((error: Error) => send({ kind: "error", message: error.message }));
  else stop();
});
process.on("disconnect", () => stop());

/** `broker`: the external MQTT broker (node) this process's devices use; absent: the emulators' own. */
async function start(devices: FleetDevice[], urls: CloudUrls, plan: Omit<FleetPlan, "devices">, broker?: string): Promise<void> {
  const module = await compileAgent();
  const factoryImage = makeFirmwareImage({ version: FROM_VERSION, size: FACTORY_BYTES });
  const clock = new SharedTickClock();
  // Connections to the content servers are reused between transfers (and devices). No cap
  // on sockets: a request queued in the agent would count against the device's stall timeout.
  const httpAgent = new Agent({ keepAlive: true });
  const slotBytes = Math.max(plan.imageBytes, FACTORY_BYTES) + 4096;
  devices.forEach((spec, index) => {
    const { link, fetcher, settings } = linkFor(spec, urls, new HttpFetcher(undefined, undefined, httpAgent), broker);
    const device = loopbackDevice({
      id: spec.id, module, factoryImage, slotBytes, cloud: link, fetcher, clock, tickMs: plan.tickMs,
      // Each device its own jitter, from its identity: devices that fail together retry apart.
      settings: { [Setting.JitterSeed]: fnv1a(spec.id), ...plan.settings, ...settings },
    });
    const entry: Running = { device, link, phase: "booting" };
    device.on("report", ({ channel, document }: { channel: Channel; document: string }) => {
      if (channel !== Channel.MuranoOtauIn && channel !== Channel.KaaStatus) return;
      const effect = statusEffect(entry.phase, document);
      if (!effect) return;
      if (effect.retry) retries++;
      if (effect.failure) failures[effect.failure] = (failures[effect.failure] ?? 0) + 1;
      if (effect.phase === entry.phase) return;
      entry.phase = effect.phase;
      changed.set(index, { index, phase: effect.phase, ...(effect.phase === "installed" ? { installedAt: Date.now() } : {}) });
    });
    running.push(entry);
  });
  batchTimer = setInterval(flush, BATCH_MS);
  // Power on at a steady rate: thousands of connects in one turn overflow the servers' backlog.
  const perTurn = Math.max(1, Math.round((plan.bootsPerSecond * 50) / 1000));
  for (let at = 0; at < running.length; at += perTurn) {
    for (const entry of running.slice(at, at + perTurn)) entry.device.powerOn();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // A cloud write published before a device's subscription took effect may never reach it: a
  // NATS cluster answers the SUBSCRIBE once the subscription's JetStream consumer exists (new
  // messages only) and looks for retained ones in its node's copy, which learns of a retained
  // message from another node a moment later, so a write landing between the two is lost.
  for (const until = Date.now() + LISTENING_WAIT_MS; Date.now() < until && !running.every(({ link }) => link.listening?.() ?? true);) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  flush();
  send({ kind: "booted" });
}

function linkFor(spec: FleetDevice, urls: CloudUrls, http: HttpFetcher, broker: string | undefined): { link: Running["link"]; fetcher: Fetcher; settings: Record<number, number> } {
  switch (spec.transport) {
    case "murano-http":
      return { link: new MuranoHttpLink({ url: urls.muranoHttp, identity: spec.id }), fetcher: http, settings: {} };
    case "murano-mqtt":
      return {
        link: new MuranoMqttLink({ httpUrl: urls.muranoHttp, mqttUrl: broker ?? urls.muranoMqtt, identity: spec.id, externalBroker: broker !== undefined }),
        fetcher: http,
        settings: {},
      };
    case "kaa": {
      const link = new KaaMqttLink({ mqttUrl: broker ?? urls.kaaMqtt, application: KAA_APPLICATION, token: spec.id });
      return { link, fetcher: link.refreshingLinks(http), settings: { [Setting.Cloud]: 1 } };
    }
  }
}

function flush(): void {
  const usage = process.cpuUsage();
  send({
    kind: "progress",
    updates: [...changed.values()],
    retries,
    failures,
    cpuMs: (usage.user + usage.system) / 1000,
    rssBytes: process.memoryUsage.rss(),
  });
  changed.clear();
  retries = 0;
  failures = {};
}

function stop(): void {
  clearInterval(batchTimer);
  for (const { device, link } of running) {
    device.powerOff();
    link.close();
  }
  process.exit(0);
}

/** FNV-1a, 32 bits: a device identity as a jitter seed (never 0, which means "no jitter"). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash || 1;
}
