// A simulated device: agent.wasm on a NOR flash, with a host that gives it a clock, a
// network and a cloud, and an application that confirms (or never confirms) a trial boot.
// Every power-on runs the emulated bootloader first, exactly as a real device would, and a
// power cut, a reset or a trap discards the agent instance and boots again from flash: no
// state survives except what the agent wrote to flash.
import { EventEmitter } from "node:events";
import { AgentFatal, AgentInstance, AgentState, Channel, LogLevel, Setting } from "../agent/agent-instance.ts";
import type { Clock } from "../clock.ts";
import { FlashViolation, NorFlash, PowerLoss } from "../flash/nor-flash.ts";
import { BootSlot, runBootloader } from "./bootloader.ts";
import { FirmwareHeader, readFirmwareHeader } from "./firmware-image.ts";
import type { CloudLink, Fetcher } from "./transport.ts";

export interface DeviceOptions {
  id: string;
  /** agent.wasm, compiled once (compileAgent) and shared by every device. */
  module: WebAssembly.Module;
  flash: NorFlash;
  clock: Clock;
  cloud: CloudLink;
  fetcher: Fetcher;
  /** The factory image's version: names slot A when the flash has no boot record yet. */
  factoryVersion: string;
  settings?: Partial<Record<Setting, number>>;
  /** How often the host calls on_tick. Default 100 ms. */
  tickMs?: number;
  /** A healthy application calls on_healthy this long after a trial boot. Default 200 ms. */
  confirmAfterMs?: number;
  /** An unhealthy application hangs; the watchdog resets it after this long. Default 1000 ms. */
  watchdogMs?: number;
  /** From a reset or power loss to the next power-on. Default 10 ms. */
  rebootDelayMs?: number;
  /** Applies a JSON config's payload object (the apply_json import); 0 = applied. Default: applied. */
  applyJson?(json: string): number;
  log?(level: LogLevel, text: string): void;
}

export interface DeviceReport {
  channel: Channel;
  document: string;
  /** Which power-on the device was in (1 = the first). */
  boot: number;
}

export interface DeviceBoot {
  slot: BootSlot;
  /** The running image's version from its header (undefined: not a simulator image). */
  version: string | undefined;
  onTrial: boolean;
}

/** A Murano otau_in document as the agent reported it. */
export interface OtauInStatus {
  status: string;
  version: string;
  message?: string;
}

export type DeviceCondition = "running" | "off" | "bricked" | "faulted";

/**
 * Events: "report" (DeviceReport), "boot" (DeviceBoot), "power-loss" (PowerLoss),
 * "trap" (Error), "bricked" (), "fault" (Error); "change" after each of them.
 * Without "change", for observers of the flash: "power-on" () before the bootloader reads
 * it, "bootloader" (slot) once the bootloader has decided and written, before the image starts.
 */
export class SimulatedDevice extends EventEmitter {
  readonly id: string;
  readonly flash: NorFlash;
  readonly reports: DeviceReport[] = [];
  readonly boots: DeviceBoot[] = [];
  readonly powerLosses: PowerLoss[] = [];
  /** Traps and agent-fatal stops: the host re-instantiates the agent after each (never expected). */
  readonly traps: Error[] = [];
  /** Why the device stopped for good (a flash rule broken, a boot error); undefined while fine. */
  fault: Error | undefined;
  condition: DeviceCondition = "off";
  /** Power-ons so far, the bootloader's included. */
  powerOns = 0;

  private readonly options: DeviceOptions;
  private agent: AgentInstance | undefined;
  private running: FirmwareHeader | undefined;
  /** Bumped at every power-on and shutdown: callbacks of an earlier life do nothing. */
  private life = 0;
  private readonly timers = new Set<() => void>();
  private resetRequested = false;
  private inCall = false;
  private readonly epochMs: number;
  private readonly otauInStatuses: OtauInStatus[] = [];

  constructor(options: DeviceOptions) {
    super();
    this.options = options;
    this.id = options.id;
    this.flash = options.flash;
    this.epochMs = options.clock.now();
  }

  /**
   * The running agent's state; undefined while the device is off or an agent call is under way
   * (a "report" listener must not mistake the state before boot() for the state after it).
   */
  agentState(): AgentState | undefined {
    return this.inCall ? undefined : this.agent?.state();
  }

  /** The header of the image running now. */
  get runningImage(): FirmwareHeader | undefined {
    return this.running;
  }

  /** Murano otau_in documents reported so far, parsed as they came; like `reports`, the list grows. */
  otauIn(): readonly OtauInStatus[] {
    return this.otauInStatuses;
  }

  powerOn(): void {
    if (this.condition === "running") return;
    const life = this.beginLife();
    this.powerOns++;
    this.emit("power-on");
    let slot: number;
    try {
      slot = runBootloader(this.options.module, this.flash, (level, text) => this.options.log?.(level, `${this.id}: ${text}`));
    } catch (error) {
      if (error instanceof PowerLoss) return this.failed(life, error);
      return this.stopForGood("faulted", error instanceof Error ? error : new Error(String(error)));
    }
    if (slot < 0) return this.stopForGood("faulted", new Error(`bootloader could not read flash (storage status ${slot})`));
    if (slot === BootSlot.None) return this.stopForGood("bricked", new Error("no slot holds an image that matches its boot record"));
    this.emit("bootloader", slot);
    this.running = readFirmwareHeader(this.flash.bytes(slot));
    this.condition = "running";
    this.agent = AgentInstance.instantiate(this.options.module, this.hostFor(life));
    this.call(life, (agent) => {
      for (const [setting, value] of Object.entries(this.options.settings ?? {})) agent.configure(Number(setting), value!);
      agent.boot(this.options.factoryVersion);
    });
    if (life !== this.life) return; // the boot itself lost power or reset
    const onTrial = this.agent.state() === AgentState.Trial;
    const boot: DeviceBoot = { slot, version: this.running?.version, onTrial };
    this.boots.push(boot);
    this.changed("boot", boot);
    if (onTrial) this.startApplicationCheck(life);
    this.options.cloud.connect((source, document) => this.call(life, (agent) => agent.onConfig(source, document)));
    this.scheduleTick(life);
  }

  /** Switches the device off (no reboot follows). */
  powerOff(): void {
    this.shutDown("off");
  }

  /** Resolves once `condition(this)` holds, checked after every device event. */
  until(condition: (device: SimulatedDevice) => boolean): Promise<void> {
    if (condition(this)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!condition(this)) return;
        this.off("change", check);
        resolve();
      };
      this.on("change", check);
    });
  }

  private beginLife(): number {
    this.cancelTimers();
    this.resetRequested = false;
    return ++this.life;
  }

  private hostFor(life: number) {
    const { fetcher, cloud } = this.options;
    const current = (): boolean => life === this.life;
    return {
      log: (level: LogLevel, text: string) => this.options.log?.(level, `${this.id}: ${text}`),
      flash: (memory: () => WebAssembly.Memory) => this.flash.imports(memory),
      report: (channel: Channel, document: string) => {
        if (!current()) return;
        const report = { channel, document, boot: this.powerOns };
        this.reports.push(report);
        if (channel === Channel.MuranoOtauIn) this.otauInStatuses.push(JSON.parse(document));
        cloud.report(channel, document);
        this.changed("report", report);
      },
      fetch: (url: string, offset: number) => {
        const started = fetcher.start(url, offset, {
          response: (status, rangeStart, total) => this.call(life, (agent) => agent.onResponse(status, rangeStart, total)),
          data: (bytes) => this.call(life, (agent) => agent.onData(bytes)),
          end: (ok) => this.call(life, (agent) => agent.onDataEnd(ok)),
        });
        return started ? 0 : -1;
      },
      fetchCancel: () => fetcher.cancel(),
      applyJson: (json: string) => this.options.applyJson?.(json) ?? 0,
      // The agent asks for a reset from inside a call; it happens when that call returns.
      reset: () => {
        if (current()) this.resetRequested = true;
      },
    };
  }

  /** Runs one agent call of life `life`; a power loss, trap or reset inside it ends that life. */
  private call(life: number, action: (agent: AgentInstance) => void): void {
    if (life !== this.life || !this.agent) return;
    this.inCall = true;
    try {
      action(this.agent);
    } catch (error) {
      this.inCall = false;
      this.failed(life, error);
      return;
    }
    this.inCall = false;
    if (this.resetRequested && life === this.life) this.reboot();
  }

  private failed(life: number, error: unknown): void {
    if (life !== this.life) return;
    if (error instanceof PowerLoss) {
      this.powerLosses.push(error);
      this.reboot();
      this.changed("power-loss", error);
      return;
    }
    if (error instanceof FlashViolation) return this.stopForGood("faulted", error);
    if (error instanceof AgentFatal || error instanceof WebAssembly.RuntimeError) {
      // What the C host does with a trap: log it and start the agent again.
      this.traps.push(error);
      this.reboot();
      this.changed("trap", error);
      return;
    }
    throw error;
  }

  private reboot(): void {
    this.shutDown("off");
    this.schedule(this.life, this.options.rebootDelayMs ?? 10, () => this.powerOn());
  }

  /** Runs `action` after `delayMs` unless life `life` has ended by then. */
  private schedule(life: number, delayMs: number, action: () => void): void {
    const { clock } = this.options;
    const cancel = clock.at(clock.now() + delayMs, () => {
      this.timers.delete(cancel);
      if (life === this.life) action();
    });
    this.timers.add(cancel);
  }

  private shutDown(condition: DeviceCondition): void {
    this.life++;
    this.cancelTimers();
    if (this.agent) {
      this.options.fetcher.cancel();
      this.options.cloud.disconnect();
    }
    this.agent = undefined;
    this.running = undefined;
    this.resetRequested = false;
    this.condition = condition;
  }

  private stopForGood(condition: "bricked" | "faulted", why: Error): void {
    this.shutDown(condition);
    this.fault = why;
    this.changed(condition === "bricked" ? "bricked" : "fault", why);
  }

  /** The application after a trial boot: a healthy image confirms itself, a broken one hangs. */
  private startApplicationCheck(life: number): void {
    if (this.running?.healthy !== false) {
      this.schedule(life, this.options.confirmAfterMs ?? 200, () => this.call(life, (agent) => agent.onHealthy()));
    } else {
      this.schedule(life, this.options.watchdogMs ?? 1000, () => this.reboot());
    }
  }

  private scheduleTick(life: number): void {
    this.schedule(life, this.options.tickMs ?? 100, () => {
      this.call(life, (agent) => agent.onTick((this.options.clock.now() - this.epochMs) >>> 0));
      if (life === this.life) this.scheduleTick(life);
    });
  }

  private cancelTimers(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  private changed(event: string, detail?: unknown): void {
    this.emit(event, detail);
    this.emit("change");
  }
}
