// `otau-sim fleet --devices N`: a fleet updating 1.0.0 → 2.0.0 at once or in waves, the
// clouds in a process of their own and the devices spread over device processes
// (firmware-sim/fleet/). Live counts by phase, then the report. Exit 0 only if the clouds
// know every device to run 2.0.0.
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { DEFAULT_AGENT_PATH, Setting } from "../agent/agent-instance.ts";
import { runFleet } from "../fleet/fleet-run.ts";
import { fleetView, reportText } from "../fleet/fleet-view.ts";
import { PACES, PACE_NAMES, type PaceName } from "../fleet/pace.ts";
import { FLEET_TRANSPORTS, type FleetTransport } from "../fleet/plan.ts";
import { EXIT_FAILED, UsageError, parseWholeNumber } from "./usage.ts";

/** Past ~6,000 devices a process runs out of wasm memory reservations; leave room for reboots. */
const MAX_DEVICES_PER_PROCESS = 2000;

interface FleetCommandOptions {
  devices: string;
  mix: string;
  imageSize: string;
  waves: string;
  waveInterval: string;
  devicesPerProcess?: string;
  bootRate: string;
  timeout: string;
  outageAt?: string;
  outageFor: string;
  attempts?: string;
  stallTimeout?: string;
  cooldown?: string;
  pace: string;
  tick?: string;
  mqttBroker: string[];
}

export function registerFleet(program: Command): void {
  program
    .command("fleet")
    .description("a fleet of simulated devices updating at once or in waves, with the clouds and the devices in processes of their own")
    .requiredOption("--devices <n>", "how many devices")
    .option("--mix <weights>", `transport weights, e.g. murano-http:1,murano-mqtt:1,kaa:1 (${FLEET_TRANSPORTS.join(", ")})`, "murano-http:1,murano-mqtt:1,kaa:1")
    .option("--image-size <bytes>", "size of the 2.0.0 image", "163840")
    .option("--waves <n>", "rollout waves (Murano: the package applied per wave; Kaa: a targeted rollout, a filter and a date per wave)", "1")
    .option("--wave-interval <seconds>", "between the starts of two waves", "10")
    .option("--devices-per-process <n>", `devices in one device process (default: spread over the CPUs, at most ${MAX_DEVICES_PER_PROCESS}: V8 holds ~12,700 wasm memories per process, a boot makes two)`)
    .option("--boot-rate <n>", "power-ons per second in each device process", "500")
    .option("--mqtt-broker <url>", "an MQTT broker instead of the emulators' own (repeat for the nodes of a cluster: the emulators attach to the first, device processes take them in turn)", (url: string, urls: string[]) => [...urls, url], [] as string[])
    .option("--timeout <seconds>", "give up this long after the rollout starts", "600")
    .option("--outage-at <seconds>", "the content servers answer 503 from this long after the rollout start ...")
    .option("--outage-for <seconds>", "... for this long", "30")
    .option("--pace <name>", "the agents' timing: fast (the simulator's demo: 20 ms ticks, 1.5 s stall timeout, 5 s cool-down) or field (the agent's defaults: 30 s stall timeout, retries 1–60 s; 500 ms ticks, 60 s cool-down)", "fast")
    .option("--attempts <n>", "download attempts before DOWNLOAD_ERROR (default: the pace's)")
    .option("--cooldown <ms>", "after the last attempt, the agent tries the same update again after this long, doubling (0: never; default: the pace's)")
    .option("--stall-timeout <ms>", "a transfer quiet this long is dropped (default: the pace's)")
    .option("--tick <ms>", "how often each agent gets on_tick (default: the pace's)")
    .action(async (options: FleetCommandOptions) => {
      process.exitCode = await fleetCommand(options);
    });
}

async function fleetCommand(options: FleetCommandOptions): Promise<number> {
  if (!existsSync(DEFAULT_AGENT_PATH)) throw new UsageError(`${DEFAULT_AGENT_PATH} is missing; run npm run build:agent`);
  if (!(PACE_NAMES as readonly string[]).includes(options.pace)) throw new UsageError(`--pace is "${options.pace}"; paces are ${PACE_NAMES.join(", ")}`);
  const pace = PACES[options.pace as PaceName];
  const settings: Record<number, number> = { ...pace.settings };
  if (options.attempts !== undefined) settings[Setting.MaxAttempts] = parseWholeNumber("--attempts", options.attempts, 1, 1000);
  if (options.stallTimeout !== undefined) settings[Setting.StallTimeoutMs] = parseWholeNumber("--stall-timeout", options.stallTimeout, 1, 3_600_000);
  if (options.cooldown !== undefined) settings[Setting.RetryCooldownMs] = parseWholeNumber("--cooldown", options.cooldown, 0, 86_400_000);
  const tickMs = options.tick === undefined ? pace.tickMs : parseWholeNumber("--tick", options.tick, 1, 60_000);
  const devices = parseWholeNumber("--devices", options.devices, 1, 1_000_000);
  const view = fleetView();
  const outageAt = options.outageAt === undefined ? undefined : parseWholeNumber("--outage-at", options.outageAt, 0, 86_400);
  const result = await runFleet({
    devices,
    mix: parseMix(options.mix),
    imageBytes: parseWholeNumber("--image-size", options.imageSize, 256, 64 * 1024 * 1024),
    waves: parseWholeNumber("--waves", options.waves, 1, devices),
    waveIntervalMs: parseWholeNumber("--wave-interval", options.waveInterval, 0, 86_400) * 1000,
    settings,
    tickMs,
    devicesPerProcess: options.devicesPerProcess === undefined
      ? Math.min(MAX_DEVICES_PER_PROCESS, Math.ceil(devices / availableParallelism()))
      : parseWholeNumber("--devices-per-process", options.devicesPerProcess, 1, 6000),
    bootsPerSecond: parseWholeNumber("--boot-rate", options.bootRate, 1, 100_000),
    timeoutMs: parseWholeNumber("--timeout", options.timeout, 1, 86_400) * 1000,
    brokers: options.mqttBroker,
    outage: outageAt === undefined ? undefined : { afterMs: outageAt * 1000, forMs: parseWholeNumber("--outage-for", options.outageFor, 1, 86_400) * 1000 },
    onProgress: (snapshot) => view.progress(snapshot),
    onNote: (text) => view.note(text),
  });
  view.stop();
  console.log(`\n${reportText(result)}`);
  return result.cloudConfirmed === result.devices ? 0 : EXIT_FAILED;
}

function parseMix(text: string): Record<FleetTransport, number> {
  const mix = Object.fromEntries(FLEET_TRANSPORTS.map((t) => [t, 0])) as Record<FleetTransport, number>;
  for (const item of text.split(",")) {
    const [name, weight = "1"] = item.trim().split(":");
    if (!(FLEET_TRANSPORTS as readonly string[]).includes(name)) throw new UsageError(`--mix names "${name}"; transports are ${FLEET_TRANSPORTS.join(", ")}`);
    mix[name as FleetTransport] = parseWholeNumber(`--mix ${name}`, weight, 0, 1000);
  }
  if (Object.values(mix).every((w) => w === 0)) throw new UsageError("--mix gives every transport weight 0");
  return mix;
}
