// A device for the engine's golden traces: build/agent.wasm over firmware-sim's strict NOR
// flash, with every host effect recorded (statuses, Kaa applied documents, fetches,
// cancels, apply_json calls, resets). Rebooting is a fresh instance over the same flash,
// after firmware-sim's emulated bootloader (the agent's bootloader_decide export) has run.
import {
  AgentInstance, Channel, ConfigSource, Setting, compileAgent,
} from "../../../firmware-sim/agent/agent-instance.ts";
import { runBootloader } from "../../../firmware-sim/device/bootloader.ts";
import { sha256Hex } from "../../../firmware-sim/device/firmware-image.ts";
import { NorFlash } from "../../../firmware-sim/flash/nor-flash.ts";

export { Channel, ConfigSource, Setting, sha256Hex };

export const SECTOR = 4096;
/** Boot record 8 sectors, two slots of 64 sectors (256 KiB). */
export const SLOT_SIZE = 64 * SECTOR;

export function norFlash(): NorFlash {
  const area = (size: number) => ({ size, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff as const });
  return new NorFlash({ areas: [area(8 * SECTOR), area(SLOT_SIZE), area(SLOT_SIZE)] });
}

/** One otau_in document (Murano), or the same form on Kaa's local status channel. */
export interface Status { version: string; status: string; message: string }
export interface Fetch { url: string; offset: number }

export interface DeviceOptions {
  firmware?: string;
  settings?: [Setting, number][];
  /** What apply_json answers (0 = applied). */
  applyJson?: number;
  /** What fetch answers (0 = started). */
  fetchResult?: number;
}

/** Documents delivered through Device.config, over every device of this process (for the closing count). */
export let documentsDelivered = 0;

export class Device {
  /** Murano otau_in (channel 0) and Kaa local statuses (channel 2), in order. */
  readonly statuses: Status[] = [];
  /** Kaa `applied` documents (channel 1). */
  readonly applied: Record<string, unknown>[] = [];
  /** Every report, raw, with its channel: to check that each is well-formed JSON. */
  readonly raw: { channel: Channel; text: string }[] = [];
  readonly fetches: Fetch[] = [];
  readonly appliedJson: string[] = [];
  readonly logs: string[] = [];
  cancels = 0;
  resets = 0;
  agent!: AgentInstance;

  private constructor(readonly flash: NorFlash, private readonly options: DeviceOptions) {}

  static async start(flash: NorFlash, options: DeviceOptions = {}): Promise<Device> {
    const device = new Device(flash, options);
    device.agent = await AgentInstance.load({
      flash: (memory) => flash.imports(memory),
      log: (_level, text) => device.logs.push(text),
      report: (channel, text) => {
        device.raw.push({ channel, text });
        const document = JSON.parse(text);
        if (channel === Channel.KaaApplied) device.applied.push(document);
        else device.statuses.push(document);
      },
      fetch: (url, offset) => {
        device.fetches.push({ url, offset });
        return options.fetchResult ?? 0;
      },
      fetchCancel: () => device.cancels++,
      applyJson: (json) => {
        device.appliedJson.push(json);
        return options.applyJson ?? 0;
      },
      reset: () => device.resets++,
    });
    for (const [setting, value] of options.settings ?? []) device.agent.configure(setting, value);
    const booted = device.agent.boot(options.firmware ?? "1.0.0");
    if (booted !== 0) throw new Error(`boot() returned ${booted}`);
    return device;
  }

  /** The device restarts: the bootloader decides over flash, then the agent boots again. */
  async reboot(options: DeviceOptions = this.options): Promise<{ slot: number; device: Device }> {
    const slot = runBootloader(await compileAgent(), this.flash);
    return { slot, device: await Device.start(this.flash, options) };
  }

  config(source: ConfigSource, document: string | Uint8Array): void {
    documentsDelivered++;
    this.agent.onConfig(source, document);
  }

  /** The server answers the current fetch with `body` from byte `from`, in one piece, complete. */
  serve(body: Uint8Array, options: { status?: number; from?: number; total?: number; ok?: boolean } = {}): void {
    this.agent.onResponse(options.status ?? 200, options.from ?? 0, options.total ?? body.length + (options.from ?? 0));
    this.agent.onData(body);
    this.agent.onDataEnd(options.ok ?? true);
  }

  /** Status names since index `from`. */
  names(from = 0): string[] {
    return this.statuses.slice(from).map((s) => s.status);
  }

  /** Status names with runs of DOWNLOAD_STEP folded into one. */
  folded(from = 0): string[] {
    return this.names(from).filter((s, i, all) => s !== "DOWNLOAD_STEP" || all[i - 1] !== "DOWNLOAD_STEP");
  }

  last(): Status {
    const status = this.statuses.at(-1);
    if (!status) throw new Error("no status reported yet");
    return status;
  }
}

/** A deterministic image: the same bytes every run. */
export function image(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed * 2654435761 >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export const FILE_URL = "http://files.test/fw.bin";

/** A Murano config_otau of type FILE for `body`, with its digest and size. */
export function fileConfig(body: Uint8Array, version = "1.1.0", extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version, name: "sensor firmware", type: "FILE", payload: FILE_URL, sha256: sha256Hex(body), size: body.length, ...extra,
  });
}

/** A Kaa cmx_ota response for `body`, with its digest and size. */
export function kaaResponse(body: Uint8Array, configId = "1.1.0", spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    configId, config: { link: FILE_URL, sha256: sha256Hex(body), size: body.length, ...spec },
  });
}
