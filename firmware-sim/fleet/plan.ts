// What a fleet run is made of, and the messages its processes exchange over IPC: the
// parent (otau-sim fleet) plans it, the cloud process serves it, device processes run it.

export type FleetTransport = "murano-http" | "murano-mqtt" | "kaa";
export const FLEET_TRANSPORTS: readonly FleetTransport[] = ["murano-http", "murano-mqtt", "kaa"];

export const FROM_VERSION = "1.0.0";
export const TO_VERSION = "2.0.0";
export const FACTORY_BYTES = 24 * 1024;
export const KAA_TENANT = "fleet";
export const KAA_APPLICATION = "fleet-gw";
/** Where the content process serves the 2.0.0 image. */
export const FLEET_IMAGE_PATH = `/fw/fleet-${TO_VERSION}.bin`;
/** What the content servers answer during an outage (network/faults.ts). */
export const OUTAGE_FAULT = "status:503";

export interface FleetDevice {
  id: string;
  transport: FleetTransport;
  /** The rollout wave (0-based) that reaches it. */
  wave: number;
}

export interface FleetPlan {
  devices: FleetDevice[];
  imageBytes: number;
  waves: number;
  /** Between the starts of two waves. */
  waveIntervalMs: number;
  /** Agent settings over the simulator's fast ones (loopbackDevice's FAST_SETTINGS). */
  settings: Record<number, number>;
  /** How often each device's agent gets on_tick. */
  tickMs: number;
  /** Devices per device process: V8 holds ~12,700 live wasm memories per process, a boot makes two. */
  devicesPerProcess: number;
  /** Power-ons per second in each device process, so the clouds are not flooded with connects. */
  bootsPerSecond: number;
  /** The content servers answer 503 from this long after the rollout start, for outageMs. */
  outage?: { afterMs: number; forMs: number };
  /**
   * MQTT brokers to use instead of the emulators' own (e.g. the nodes of a NATS cluster): the
   * emulators attach to the first, device process k connects its devices to broker k mod n.
   */
  brokers?: string[];
}

/** The two cloud processes: each runs one emulator (cloud-process.ts). */
export type CloudName = "murano" | "kaa";
export const CLOUD_NAMES: readonly CloudName[] = ["murano", "kaa"];

/** Where the cloud processes serve. */
export interface CloudUrls {
  muranoHttp: string;
  muranoMqtt: string;
  kaaMqtt: string;
}

/** Phases a device moves through, as the live summary counts them. */
export const PHASES = ["booting", "waiting", "downloading", "installing", "installed", "failed"] as const;
export type Phase = (typeof PHASES)[number];

// --- parent → content process ---------------------------------------------------------
export type ToContent =
  | { kind: "setup"; imageBytes: number; outage?: FleetPlan["outage"] }
  /** The rollout starts now: the outage, if any, is timed from here. */
  | { kind: "rollout" }
  | { kind: "stop" };

// --- content process → parent ---------------------------------------------------------
export type FromContent =
  | { kind: "ready"; imageUrl: string }
  | { kind: "usage"; cpuMs: number; rssBytes: number }
  | { kind: "error"; message: string };

// --- parent → cloud ---------------------------------------------------------------------
export type ToCloud =
  /** `imageUrl`: the content process's link to the image, which Murano's package names. */
  | { kind: "setup"; plan: FleetPlan; imageUrl: string }
  /** Start the rollout now; Murano waves are applied by the cloud process's own timers. */
  | { kind: "rollout" }
  | { kind: "verify" }
  | { kind: "stop" };

// --- cloud → parent ---------------------------------------------------------------------
export type FromCloud =
  /** Murano's process gives its URLs, Kaa's its own. */
  | { kind: "ready"; urls: Partial<CloudUrls> }
  | { kind: "outage"; started: boolean; at: number }
  | { kind: "verified"; onTarget: number; notOnTarget: string[] }
  | { kind: "usage"; cpuMs: number; rssBytes: number }
  | { kind: "error"; message: string };

// --- parent → device process ------------------------------------------------------------
export type ToDevices =
  | { kind: "start"; devices: FleetDevice[]; urls: CloudUrls; plan: Omit<FleetPlan, "devices">; broker?: string }
  | { kind: "stop" };

/** One device's change since the last batch. */
export interface DeviceUpdate {
  /** Index into the process's device list. */
  index: number;
  phase: Phase;
  /** When it reached `installed` (epoch ms). */
  installedAt?: number;
}

// --- device process → parent ------------------------------------------------------------
export type FromDevices =
  | { kind: "booted" }
  | {
      kind: "progress";
      updates: DeviceUpdate[];
      /** Retries and failure causes since the last batch. */
      retries: number;
      failures: Record<string, number>;
      cpuMs: number;
      rssBytes: number;
    }
  | { kind: "error"; message: string };
