// `otau-sim fleet` without its command line: forks the content process, the two cloud
// processes (Murano, Kaa) and the device processes, starts the rollout once every device has booted, gathers what they report,
// and ends with the clouds' own word on which devices run the new version.
import { fork, type ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import type { FleetTransport } from "./plan.ts";
import { CLOUD_NAMES, PHASES, type CloudUrls, type FleetDevice, type FleetPlan, type FromCloud, type FromContent, type FromDevices, type Phase, type ToCloud, type ToContent, type ToDevices } from "./plan.ts";

/** The plan's fields (FleetPlan, the device list aside) and what only this process uses. */
export interface FleetOptions extends Omit<FleetPlan, "devices"> {
  devices: number;
  /** Relative weights of the transports (e.g. 1 each). */
  mix: Record<FleetTransport, number>;
  /** Give up waiting this long after the rollout start. */
  timeoutMs: number;
  /** Called about every `progressEveryMs` with the counts so far. */
  onProgress?(snapshot: FleetSnapshot): void;
  progressEveryMs?: number;
  /** A one-off event worth a line (the outage starting and ending). */
  onNote?(text: string): void;
}

export interface FleetSnapshot {
  total: number;
  counts: Record<Phase, number>;
  /** Since the rollout started (0 before). */
  elapsedMs: number;
  rolloutStarted: boolean;
}

export interface FleetResult {
  devices: number;
  processes: number;
  /** Boot of every device, before the rollout. */
  bootMs: number;
  /** Rollout start to the k-th percent installed (undefined: never reached). */
  installedAtMs: { p50?: number; p90?: number; p99?: number; p100?: number };
  installed: number;
  /** Rollout start to the first device of each wave installed. */
  firstInstalledByWaveMs: Array<number | undefined>;
  /** Devices the clouds know to run the new version. */
  cloudConfirmed: number;
  notConfirmed: string[];
  /** Rollout start to the clouds confirming every device (their last statuses trail the devices'); undefined: never. */
  confirmedAtMs?: number;
  finalCounts: Record<Phase, number>;
  retries: number;
  failures: Record<string, number>;
  /** Device processes' CPU per device during the rollout, and their memory per device at its end. */
  cpuMsPerDevice: number;
  rssBytesPerDevice: number;
  /** The cloud processes and the content process together: CPU during the rollout, the sum of their largest RSS. */
  cloudCpuMs: number;
  cloudRssBytes: number;
  timedOut: boolean;
}

// Profiling flags given to the parent (node --cpu-prof …) profile every fleet process too.
const PROFILE_FLAGS = process.execArgv.filter((flag) => /^--(cpu|heap)-prof/.test(flag));
/**
 * Device processes run at a lower priority than the cloud and content processes, which stand
 * for servers of their own: with the CPU shared per process, eight device processes left the
 * cloud process about 5 % of a core at 15,000 devices, its listen queues full and 7,833
 * connections waiting in SYN-SENT.
 */
const DEVICE_NICENESS = 10;
const CHILD_OPTIONS = { execArgv: [...PROFILE_FLAGS, "--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] as ["ignore", "inherit", "inherit", "ipc"] };

/** Device ids and transports in the mix's proportions, interleaved; waves are consecutive blocks. */
export function planDevices(count: number, mix: Record<FleetTransport, number>, waves: number): FleetDevice[] {
  const weights = (Object.entries(mix) as Array<[FleetTransport, number]>).filter(([, w]) => w > 0);
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const given = new Map<FleetTransport, number>(weights.map(([t]) => [t, 0]));
  return Array.from({ length: count }, (_, i) => {
    // The transport furthest behind its share so far.
    const [transport] = weights.reduce((best, entry) => ((i + 1) * entry[1] / total - given.get(entry[0])! > (i + 1) * best[1] / total - given.get(best[0])! ? entry : best));
    const n = given.get(transport)! + 1;
    given.set(transport, n);
    return { id: `fleet-${transport}-${n}`, transport, wave: Math.floor((i * waves) / count) };
  });
}

export async function runFleet(options: FleetOptions): Promise<FleetResult> {
  const devices = planDevices(options.devices, options.mix, options.waves);
  // The plan travels to every child process: its own fields only, no callbacks.
  const { imageBytes, waves, waveIntervalMs, settings, tickMs, devicesPerProcess, bootsPerSecond, outage, brokers } = options;
  const plan: FleetPlan = { devices, imageBytes, waves, waveIntervalMs, settings, tickMs, devicesPerProcess, bootsPerSecond, outage, brokers };
  const children: ChildProcess[] = [];
  const inboxes: Array<{ stopping: boolean }> = [];
  let crash: Error | undefined;
  const failed = (error: Error) => {
    crash ??= error;
  };
  const content = fork(fileURLToPath(new URL("./content-process.ts", import.meta.url)), [], CHILD_OPTIONS);
  const clouds = CLOUD_NAMES.map((name) => fork(fileURLToPath(new URL("./cloud-process.ts", import.meta.url)), [name], CHILD_OPTIONS));
  children.push(content, ...clouds);
  // The servers' usage: [content, ...clouds].
  const serverCpuMs = [0, 0, 0];
  const serverRssBytes = [0, 0, 0];
  const noteUsage = (server: number, message: { cpuMs: number; rssBytes: number }) => {
    serverCpuMs[server] = message.cpuMs;
    serverRssBytes[server] = Math.max(serverRssBytes[server], message.rssBytes);
  };
  let cloudCpuAtStart = 0;
  const fromContent = new Inbox<FromContent>(content, (message) => {
    if (message.kind === "usage") noteUsage(0, message);
  }, failed);
  const fromClouds = clouds.map((cloud, c) => new Inbox<FromCloud>(cloud, (message) => {
    if (message.kind === "usage") {
      noteUsage(1 + c, message);
    } else if (message.kind === "outage") {
      options.onNote?.(message.started ? "content servers down (HTTP 503)" : "content servers back");
    }
  }, failed));
  inboxes.push(fromContent, ...fromClouds);
  const toClouds = (message: ToCloud) => {
    for (const cloud of clouds) cloud.send(message);
  };
  const toContent = (message: ToContent) => content.send(message);
  const cloudCpuMs = () => serverCpuMs.reduce((sum, ms) => sum + ms, 0);
  try {
    toContent({ kind: "setup", imageBytes: plan.imageBytes, outage: plan.outage });
    const { imageUrl } = await fromContent.next("ready");
    toClouds({ kind: "setup", plan, imageUrl });
    const urls = Object.assign({}, ...(await Promise.all(fromClouds.map((inbox) => inbox.next("ready")))).map((ready) => ready.urls)) as CloudUrls;
    const phases: Phase[] = devices.map(() => "booting");
    const installedAt: number[] = [];
    const firstByWave: Array<number | undefined> = Array.from({ length: options.waves }, () => undefined);
    const counts = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
    counts.booting = devices.length;
    let retries = 0;
    const failures: Record<string, number> = {};
    const workers = startDeviceProcesses(plan, urls, children);
    const usage = workers.map(() => ({ cpuMs: 0, rssBytes: 0 }));
    const booted = workers.map(({ process: child, first }, w) => {
      const inbox = new Inbox<FromDevices>(child, (message) => {
        if (message.kind !== "progress") return;
        usage[w] = { cpuMs: message.cpuMs, rssBytes: message.rssBytes };
        retries += message.retries;
        for (const [cause, n] of Object.entries(message.failures)) failures[cause] = (failures[cause] ?? 0) + n;
        for (const update of message.updates) {
          const index = first + update.index;
          counts[phases[index]]--;
          counts[update.phase]++;
          phases[index] = update.phase;
          if (update.installedAt !== undefined) {
            installedAt.push(update.installedAt);
            const wave = devices[index].wave;
            firstByWave[wave] = Math.min(firstByWave[wave] ?? Infinity, update.installedAt);
          }
        }
      }, failed);
      inboxes.push(inbox);
      return inbox.next("booted");
    });
    const bootStart = Date.now();
    await Promise.all(booted);
    const bootMs = Date.now() - bootStart;
    const cpuAtStart = usage.reduce((sum, u) => sum + u.cpuMs, 0);
    cloudCpuAtStart = cloudCpuMs();
    const rolloutStart = Date.now();
    toContent({ kind: "rollout" });
    toClouds({ kind: "rollout" });
    const snapshot = (): FleetSnapshot => ({ total: devices.length, counts: { ...counts }, elapsedMs: Date.now() - rolloutStart, rolloutStarted: true });
    const timedOut = await new Promise<boolean>((resolve) => {
      const every = setInterval(() => {
        options.onProgress?.(snapshot());
        if (counts.installed === devices.length || crash) finish(false);
        else if (Date.now() - rolloutStart > options.timeoutMs) finish(true);
      }, options.progressEveryMs ?? 250);
      const finish = (late: boolean) => {
        clearInterval(every);
        resolve(late);
      };
    });
    if (crash) throw crash;
    // The devices' last reports may still be on their way (a Murano HTTP device writes its
    // statuses one POST at a time): ask the clouds until they agree or time is up.
    let verified: { onTarget: number; notOnTarget: string[] };
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      toClouds({ kind: "verify" });
      const answers = await Promise.all(fromClouds.map((inbox) => inbox.next("verified")));
      verified = { onTarget: answers.reduce((sum, a) => sum + a.onTarget, 0), notOnTarget: answers.flatMap((a) => a.notOnTarget) };
      if (verified.onTarget === devices.length || Date.now() - rolloutStart > options.timeoutMs) break;
    }
    const confirmedAtMs = verified.onTarget === devices.length ? Date.now() - rolloutStart : undefined;
    const cpuMs = usage.reduce((sum, u) => sum + u.cpuMs, 0) - cpuAtStart;
    const rssBytes = usage.reduce((sum, u) => sum + u.rssBytes, 0);
    const sorted = installedAt.map((at) => at - rolloutStart).sort((a, b) => a - b);
    const percentile = (p: number) => {
      const needed = Math.ceil((p / 100) * devices.length);
      return needed <= sorted.length ? sorted[needed - 1] : undefined;
    };
    return {
      devices: devices.length,
      processes: workers.length,
      bootMs,
      installedAtMs: { p50: percentile(50), p90: percentile(90), p99: percentile(99), p100: percentile(100) },
      installed: counts.installed,
      firstInstalledByWaveMs: firstByWave.map((at) => (at === undefined ? undefined : at - rolloutStart)),
      cloudConfirmed: verified.onTarget,
      notConfirmed: verified.notOnTarget,
      confirmedAtMs,
      finalCounts: { ...counts },
      retries,
      failures,
      cpuMsPerDevice: cpuMs / devices.length,
      rssBytesPerDevice: rssBytes / devices.length,
      cloudCpuMs: cloudCpuMs() - cloudCpuAtStart,
      cloudRssBytes: serverRssBytes.reduce((sum, bytes) => sum + bytes, 0),
      timedOut,
    };
  } finally {
    for (const inbox of inboxes) inbox.stopping = true;
    for (const child of children) if (child.connected) child.send({ kind: "stop" } satisfies ToCloud | ToContent | ToDevices);
    await Promise.all(children.map((child) => exited(child)));
  }
}

function startDeviceProcesses(plan: FleetPlan, urls: CloudUrls, children: ChildProcess[]): Array<{ process: ChildProcess; first: number }> {
  const { devices, ...shared } = plan;
  const workers: Array<{ process: ChildProcess; first: number }> = [];
  for (let first = 0; first < devices.length; first += plan.devicesPerProcess) {
    const child = fork(fileURLToPath(new URL("./device-process.ts", import.meta.url)), [], CHILD_OPTIONS);
    children.push(child);
    if (child.pid !== undefined) setPriority(child.pid, DEVICE_NICENESS);
    const broker = plan.brokers?.length ? plan.brokers[workers.length % plan.brokers.length] : undefined;
    const message: ToDevices = { kind: "start", devices: devices.slice(first, first + plan.devicesPerProcess), urls, plan: shared, broker };
    child.send(message);
    workers.push({ process: child, first });
  }
  return workers;
}

/**
 * Messages of one child: a handler for the steady stream, and next(kind) for a step's answer.
 * An error it reports, or an exit the parent did not ask for, rejects what waits and is
 * passed to `onFailure`.
 */
class Inbox<M extends { kind: string }> {
  private readonly waiting = new Map<string, (message: M) => void>();
  private readonly rejects = new Set<(error: Error) => void>();
  private failure: Error | undefined;
  /** Set before the parent stops the child: its exit is expected then. */
  stopping = false;

  constructor(child: ChildProcess, onMessage: (message: M) => void, private readonly onFailure: (error: Error) => void) {
    child.on("message", (message: M) => {
      if (message.kind === "error") return this.fail(new Error((message as unknown as { message: string }).message));
      onMessage(message);
      const resolve = this.waiting.get(message.kind);
      this.waiting.delete(message.kind);
      resolve?.(message);
    });
    child.on("exit", (code, signal) => {
      if (!this.stopping) this.fail(new Error(`a fleet process ended (${signal ?? `exit ${code}`})`));
    });
  }

  next<K extends M["kind"]>(kind: K): Promise<Extract<M, { kind: K }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(kind, resolve as (message: M) => void);
      this.rejects.add(reject);
    });
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure(error);
    for (const reject of this.rejects) reject(error);
    this.rejects.clear();
    this.waiting.clear();
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
