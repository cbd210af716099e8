// `otau-sim run`: one device, one update over the Murano emulator (HTTP Device API), with
// the images served by the content server under the faults asked for, and optionally a
// power cut at one flash operation. runScenario() is the same run as a function, for
// scripts that want the otau_in trail and the result without parsing output.
import { basename } from "node:path";
import type { Command } from "commander";
import { AgentState, Channel, Setting, compileAgent } from "../agent/agent-instance.ts";
import { slotName } from "../device/bootloader.ts";
import { makeFirmwareImage } from "../device/firmware-image.ts";
import { SlotState, readBootRecord, slotMatches } from "../flash/boot-record.ts";
import { loopbackDevice, waitFor } from "../device/loopback-device.ts";
import { MuranoHttpLink } from "../device/murano-http-link.ts";
import type { SimulatedDevice } from "../device/simulated-device.ts";
import { MuranoEmulator } from "../murano/murano-emulator.ts";
import { parseOtauIn, type ConfigOtau, type OtauInDocument } from "../murano/otau-documents.ts";
import { ContentServer } from "../network/content-server.ts";
import { ANY_PATH } from "../network/fault-book.ts";
import { FaultSpecError, parseFaultSpec } from "../network/faults.ts";
import { TRUST_KEYS_MAX } from "../flash/trust-store.ts";
import { readEd25519PublicKey } from "../image/mcuboot-image.ts";
import { EXIT_FAILED, type Slot, UsageError, checkVersion, parseAddress, parseWholeNumber, readInputFile, readKeyFile, slotPair } from "./usage.ts";

export const DEFAULT_INSTALLED_VERSION = "0.0.0";
const FACTORY_IMAGE_BYTES = 16 * 1024;
const MIN_SLOT_BYTES = 256 * 1024;
const DEVICE_IDENTITY = "sim-device";

export interface ScenarioImage {
  /** Served at /<name>; config URLs whose last path segment is `name` are pointed at it. */
  name: string;
  bytes: Uint8Array;
}

export interface Scenario {
  /**
   * The config_otau document: its bytes exactly as the cloud would store them (only the URLs
   * naming a served image are pointed at the content server), or a document to serialize.
   */
  config: ConfigOtau | Uint8Array;
  images?: ScenarioImage[];
  /** Version of the built-in image in slot A at the start. Default 0.0.0. */
  installed?: string;
  /** Fault specs queued, in order, for every served image (faults.ts). */
  faults?: string[];
  /** Flash operation at which power is lost (a torn write or erase). */
  powerCutAt?: number;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Raw Ed25519 public keys provisioned into the device's trust store: it then installs only images signed by one. */
  trustedKeys?: Uint8Array[];
  /** Where the device's slots run (settings SlotAddressA/B): it then refuses another slot's build. */
  slotAddresses?: Record<Slot, number>;
  onOtauIn?(document: OtauInDocument): void;
}

export interface ScenarioResult {
  /** ok: the device ends running the config's version (a JSON config: the application applied it). */
  result: "ok" | "failed";
  /** The version of the image running at the end ("none" when nothing boots). */
  installed: string;
  slot: "A" | "B" | "none";
  /** Counted flash operations of the whole run, every boot included. */
  flashOps: number;
  otauIn: OtauInDocument[];
  /** Why the run ended without the update settling (timeout, bricked device). */
  problem?: string;
}

/** Statuses that end the agent's work on a config (INSTALL_SUCCESS alone ends a JSON config). */
const FINAL_FOR_CONFIG = new Set(["INSTALLED_VERSION", "TEST_ERROR", "DOWNLOAD_ERROR", "INSTALL_SUCCESS"]);
/** After these the device goes back to another version, which it then reports as installed. */
const LEAVES_CONFIG = new Set(["INSTALL_ERROR", "INSTALL_ABORTED"]);

export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const murano = new MuranoEmulator();
  const content = new ContentServer();
  await murano.start();
  await content.start();
  const otauIn: OtauInDocument[] = [];
  let device: SimulatedDevice | undefined;
  let link: MuranoHttpLink | undefined;
  try {
    const images = scenario.images ?? [];
    for (const image of images) content.serveBytes(`/${image.name}`, image.bytes);
    for (const spec of scenario.faults ?? []) content.injectFaults(ANY_PATH, spec);
    const delivered = scenario.config instanceof Uint8Array
      ? redirectUrlLiterals(scenario.config, images, content)
      : Buffer.from(JSON.stringify(pointAtContentServer(scenario.config, images, content)), "utf8");
    // What the run is judged by; a document the agent will refuse may describe nothing.
    const config = scenario.config instanceof Uint8Array ? describeConfig(scenario.config) : scenario.config;
    murano.product.addIdentity(DEVICE_IDENTITY);
    murano.product.cloudWrite(DEVICE_IDENTITY, "config_otau", delivered);

    link = new MuranoHttpLink({ url: murano.urls.http, identity: DEVICE_IDENTITY });
    const imageBytes = images.reduce((sum, image) => sum + image.bytes.length, 0);
    device = loopbackDevice({
      id: DEVICE_IDENTITY,
      module: await compileAgent(),
      factoryImage: makeFirmwareImage({ version: scenario.installed ?? DEFAULT_INSTALLED_VERSION, size: FACTORY_IMAGE_BYTES }),
      slotBytes: Math.max(MIN_SLOT_BYTES, imageBytes),
      trustedKeys: scenario.trustedKeys,
      settings: scenario.slotAddresses && {
        [Setting.SlotAddressA]: scenario.slotAddresses.A, [Setting.SlotAddressB]: scenario.slotAddresses.B,
      },
      cloud: link,
    });
    if (scenario.powerCutAt !== undefined) device.flash.cutAt({ at: scenario.powerCutAt, kind: "torn" });
    device.on("report", ({ channel, document }: { channel: Channel; document: string }) => {
      if (channel !== Channel.MuranoOtauIn) return;
      const parsed = parseOtauIn(document);
      otauIn.push(parsed);
      scenario.onOtauIn?.(parsed);
    });
    device.powerOn();
    const timeoutMs = scenario.timeoutMs ?? 60_000;
    let problem: string | undefined;
    try {
      await waitFor(device, (d) => d.condition === "bricked" || d.condition === "faulted" || settled(d, otauIn, config?.version), timeoutMs, "the update to end");
      if (device.fault) problem = `the device stopped: ${device.fault.message}`;
    } catch {
      problem = `the update did not end within ${timeoutMs / 1000} s`;
    }
    await link.flushed();
    const installed = device.runningImage?.version ?? (config && servedImageVersion(device, config, images)) ?? recordedVersion(device) ?? "none";
    // A JSON config changes settings, not the image: it succeeds when the application applied it.
    const reached = config?.version !== undefined && (config.type === "JSON"
      ? otauIn.some((r) => r.version === config.version && r.status === "INSTALL_SUCCESS")
      : installed === config.version);
    return {
      result: reached && problem === undefined ? "ok" : "failed",
      installed,
      slot: device.condition === "running" ? (slotName(device.boots.at(-1)?.slot ?? 0) as ScenarioResult["slot"]) : "none",
      flashOps: device.flash.operations,
      otauIn,
      problem,
    };
  } finally {
    device?.powerOff();
    link?.close();
    await Promise.all([murano.stop(), content.stop()]);
  }
}

/** The agent is idle on a running device and its last word on the config was final. */
function settled(device: SimulatedDevice, otauIn: readonly OtauInDocument[], version: string | undefined): boolean {
  if (device.condition !== "running" || device.agentState() !== AgentState.Idle) return false;
  const last = otauIn.at(-1);
  // The first report is the boot's; only what follows answers the config.
  if (!last || otauIn.length < 2) return false;
  // A refused document may carry no version the agent could read: its TEST_ERROR ends the run.
  if (last.status === "TEST_ERROR") return true;
  if (last.version === version) return FINAL_FOR_CONFIG.has(last.status);
  return last.status === "INSTALLED_VERSION" && otauIn.some((r) => r.version === version && LEAVES_CONFIG.has(r.status));
}

/**
 * For a running image without the simulator's header (a user's own file): the config's version
 * when the booted slot holds the config's files, as served, back to back.
 */
function servedImageVersion(device: SimulatedDevice, config: ConfigOtau, images: readonly ScenarioImage[]): string | undefined {
  const boot = device.boots.at(-1);
  if (device.condition !== "running" || !boot || config.type === "JSON") return undefined;
  const urls = Array.isArray(config.payload) ? config.payload : [config.payload];
  const files = urls.map((url) => images.find((image) => image.name === lastSegment(url)));
  if (files.length === 0 || files.some((file) => file === undefined)) return undefined;
  const expected = Buffer.concat(files.map((file) => file!.bytes));
  const slot = device.flash.bytes(boot.slot);
  return expected.equals(slot.subarray(0, expected.length)) ? config.version : undefined;
}

/** The config's fields as far as the bytes parse as a JSON object; undefined when they do not. */
function describeConfig(bytes: Uint8Array): ConfigOtau | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString("utf8"));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const fields = value as Partial<ConfigOtau>;
    return typeof fields.version === "string" ? (fields as ConfigOtau) : undefined;
  } catch {
    // Not JSON, or nested deeper than JSON.parse goes: the agent says what is wrong.
    return undefined;
  }
}

/**
 * The config's bytes with each JSON string literal that is a URL naming a served image
 * replaced by the content server's URL for it; every other byte stays as it was (latin1
 * maps bytes to characters one to one, so invalid UTF-8 survives).
 */
export function redirectUrlLiterals(bytes: Uint8Array, images: readonly ScenarioImage[], content: ContentServer): Buffer {
  const names = new Set(images.map((image) => image.name));
  const text = Buffer.from(bytes).toString("latin1").replace(/"((?:[^"\\]|\\.)*)"/g, (literal: string) => {
    let url: unknown;
    try {
      url = JSON.parse(Buffer.from(literal, "latin1").toString("utf8"));
    } catch {
      return literal;
    }
    const segment = lastSegment(url);
    return segment !== undefined && names.has(segment) ? JSON.stringify(content.url(`/${encodeURIComponent(segment)}`)) : literal;
  });
  return Buffer.from(text, "latin1");
}

/**
 * For an image fetched from elsewhere (no header, not served here): the version the boot
 * record gives the booted slot once it is confirmed, provided the slot's bytes match the
 * record's digest, as the bootloader checks them.
 */
function recordedVersion(device: SimulatedDevice): string | undefined {
  const boot = device.boots.at(-1);
  if (device.condition !== "running" || !boot) return undefined;
  const record = readBootRecord(device.flash);
  const entry = record?.slots[boot.slot - 1];
  if (!entry || entry.state !== SlotState.Confirmed || !slotMatches(device.flash, boot.slot, entry)) return undefined;
  return entry.version;
}

/** The decoded last path segment of a URL; undefined for what is not a URL. */
function lastSegment(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").at(-1) ?? "");
  } catch {
    return undefined;
  }
}

/** The config with each URL whose last path segment names a served image pointed at the content server. */
export function pointAtContentServer(config: ConfigOtau, images: readonly ScenarioImage[], content: ContentServer): ConfigOtau {
  const names = new Set(images.map((image) => image.name));
  const redirect = (url: unknown): unknown => {
    const segment = lastSegment(url);
    // Not a URL, or not a served file: the agent fetches it as given (or says what is wrong).
    return segment !== undefined && names.has(segment) ? content.url(`/${encodeURIComponent(segment)}`) : url;
  };
  const payload = Array.isArray(config.payload) ? config.payload.map(redirect) : config.type === "JSON" ? config.payload : redirect(config.payload);
  return { ...config, payload };
}

interface RunOptions {
  config: string;
  image: string[];
  installed: string;
  fault: string[];
  powerCut?: string;
  json?: boolean;
  timeout: string;
  trustKey: string[];
  slotAddresses?: string;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("one device, one update over the Murano emulator; exit 0 when it ends on the config's version")
    .requiredOption("--config <file>", "the config_otau document (JSON)")
    .option("--image <file[,file…]>", "image files served by the content server (repeatable)", collect, [])
    .option("--installed <version>", "version of the built-in image the device starts from", DEFAULT_INSTALLED_VERSION)
    .option("--fault <spec>", "content-server fault spec, queued in order (repeatable; see README)", collect, [])
    .option("--power-cut <k>", "lose power at flash operation k (a torn write), then reboot and carry on")
    .option("--json", "one JSON object per line: {\"otau_in\": …} per status, then the result")
    .option("--timeout <seconds>", "give up when the update has not ended after this long", "60")
    .option("--trust-key <public key PEM>", "provision this Ed25519 public key into the device's trust store (repeatable, up to 4): it then installs only images signed by one of them", collect, [])
    .option("--slot-addresses <A=addr,B=addr>", "where the device's slots run (images in place): it refuses an image linked for the other slot, and takes its slot's build from a config's slots table")
    .action(async (options: RunOptions) => {
      process.exitCode = await runCommand(options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runCommand(options: RunOptions): Promise<number> {
  const scenario = scenarioFromOptions(options);
  const print = options.json
    ? (document: OtauInDocument) => console.log(JSON.stringify({ otau_in: document }))
    : (document: OtauInDocument) => console.log(`${document.status.padEnd(17)} ${document.version}  ${document.message ?? ""}`.trimEnd());
  const outcome = await runScenario({ ...scenario, onOtauIn: print });
  if (outcome.problem) console.error(`otau-sim run: ${outcome.problem}`);
  if (options.json) {
    console.log(JSON.stringify({ result: outcome.result, installed: outcome.installed, slot: outcome.slot, flash_ops: outcome.flashOps }));
  } else {
    console.log(`result: ${outcome.result} — running ${outcome.installed} in slot ${outcome.slot} after ${outcome.flashOps} flash operations`);
  }
  return outcome.result === "ok" ? 0 : EXIT_FAILED;
}

function scenarioFromOptions(options: RunOptions): Scenario {
  // The file's bytes go to the device as the cloud would store them: judging them is the agent's job.
  const config = readInputFile("--config", options.config);
  const files = options.image.flatMap((list) => list.split(",")).filter((file) => file !== "");
  const images = files.map((file) => ({ name: basename(file), bytes: readInputFile("--image", file) }));
  const twice = images.find((image, i) => images.findIndex((other) => other.name === image.name) !== i);
  if (twice) throw new UsageError(`--image names two files called ${twice.name}; URLs are matched by base name`);
  for (const spec of options.fault) {
    try {
      parseFaultSpec(spec);
    } catch (error) {
      if (error instanceof FaultSpecError) throw new UsageError(`--fault: ${error.message}`);
      throw error;
    }
  }
  return {
    config,
    images,
    installed: checkVersion("--installed", options.installed),
    faults: options.fault,
    powerCutAt: options.powerCut === undefined ? undefined : parseWholeNumber("--power-cut", options.powerCut),
    timeoutMs: parseWholeNumber("--timeout", options.timeout, 1, 3600) * 1000,
    trustedKeys: trustedKeys(options.trustKey),
    slotAddresses: slotAddresses(options.slotAddresses),
  };
}

function slotAddresses(text: string | undefined): Record<Slot, number> | undefined {
  if (text === undefined) return undefined;
  const pair = slotPair("--slot-addresses", text);
  return { A: parseAddress("--slot-addresses", pair.A), B: parseAddress("--slot-addresses", pair.B) };
}

function trustedKeys(files: string[]): Uint8Array[] | undefined {
  if (files.length > TRUST_KEYS_MAX) throw new UsageError(`--trust-key: at most ${TRUST_KEYS_MAX} keys, got ${files.length}`);
  return files.length === 0 ? undefined : files.map((file) => readKeyFile("--trust-key", file, readEd25519PublicKey));
}
