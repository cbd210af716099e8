// Hosts build/agent.wasm in Node with the same raw ABI the C host links (docs/abi.md).
// The host side only moves bytes: every decision stays in the agent.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { AbiResult, AgentState, Channel, ConfigSource, FlashCode, ImportResult, LogLevel, Setting } from "./abi.ts";
import { contextSha256Native, sha256NotProvided } from "./native-sha256.ts";
import { ed25519NotProvided, nodeEd25519Native } from "./native-ed25519.ts";

export const DEFAULT_AGENT_PATH = fileURLToPath(new URL("../../build/agent.wasm", import.meta.url));

// The ABI's numbers, for the modules that drive an instance.
export { AgentState, Channel, ConfigSource, LogLevel, Setting };

/** Flash imports, given the agent's memory (firmware-sim/flash implements them). */
export interface FlashImports {
  flash_info(area: number, out: number): number;
  flash_read(area: number, offset: number, ptr: number, len: number): number;
  flash_write(area: number, offset: number, ptr: number, len: number): number;
  flash_erase(area: number, offset: number, len: number): number;
}

/**
 * What a Node host supplies. Unset parts get a default: log and reports dropped, no
 * flash, fetch refused, JSON payloads refused, reset ignored.
 */
export interface AgentHost {
  log?(level: LogLevel, text: string): void;
  flash?(memory: () => WebAssembly.Memory): FlashImports;
  report?(channel: Channel, document: string): void;
  /** Start a GET of `url` from byte `offset`; answer later through on_response/on_data/on_data_end. 0 = started. */
  fetch?(url: string, offset: number): number;
  fetchCancel?(): void;
  /** A JSON config's payload object; 0 = applied. */
  applyJson?(json: string): number;
  reset?(): void;
  /** Offer the agent a SHA-256 of the host (`sha256_native`, firmware-sim/agent/native-sha256.ts); by default the agent hashes itself. */
  nativeSha256?: boolean;
  /** Offer the agent node:crypto's Ed25519 (`ed25519_native`, firmware-sim/agent/native-ed25519.ts); by default the agent verifies itself. */
  nativeEd25519?: boolean;
}

/** The agent stopped itself (its `fatal` import): the instance must be discarded. */
export class AgentFatal extends Error {
  constructor(readonly agentMessage: string, readonly line: number, readonly column: number) {
    super(`agent fatal: ${agentMessage} (line ${line}, column ${column})`);
    this.name = "AgentFatal";
  }
}

const noFlash: FlashImports = {
  flash_info: () => FlashCode.NoSuchArea,
  flash_read: () => FlashCode.NoSuchArea,
  flash_write: () => FlashCode.NoSuchArea,
  flash_erase: () => FlashCode.NoSuchArea,
};

interface AgentExports {
  memory: WebAssembly.Memory;
  _start(): void;
  io_buffer(): number;
  io_buffer_size(): number;
  boot(): number;
  sha256_init(): number;
  sha256_update(len: number): number;
  sha256_final(): number;
  ed25519_verify(len: number): number;
  trust_update(len: number): number;
  firmware_version(len: number): number;
  configure(setting: number, value: number): number;
  on_config(source: number, len: number): number;
  on_response(status: number, rangeStart: number, total: number): number;
  on_data(len: number): number;
  on_data_end(ok: number): number;
  on_tick(nowMs: number): number;
  on_healthy(): number;
  agent_state(): number;
  bootloader_decide(): number;
  bootloader_check_images(enabled: number): void;
  bootloader_check_size(): number;
  bootloader_check_result(slot: number, refusal: number, checked: number): number;
}

/** on_response's range start for a 206 whose Content-Range is missing or unreadable (docs/abi.md). */
export const RANGE_START_UNKNOWN = 0xffffffff;

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

/** Compiles agent.wasm once per path; every instance after that is instantiated synchronously. */
export function compileAgent(path: string = DEFAULT_AGENT_PATH): Promise<WebAssembly.Module> {
  let module = moduleCache.get(path);
  if (!module) {
    module = readFile(path).then((bytes) => WebAssembly.compile(bytes));
    moduleCache.set(path, module);
  }
  return module;
}

export class AgentInstance {
  private constructor(private readonly exports: AgentExports) {}

  /** Instantiates the agent and runs its static initialisation (`_start`). */
  static async load(host: AgentHost = {}, path: string = DEFAULT_AGENT_PATH): Promise<AgentInstance> {
    return AgentInstance.instantiate(await compileAgent(path), host);
  }

  /**
   * The synchronous form of `load` for a compiled module: a device runner reboots inside a
   * clock callback and must not yield between power-on and the agent's first call.
   */
  static instantiate(module: WebAssembly.Module, host: AgentHost = {}): AgentInstance {
    let memory: WebAssembly.Memory | undefined;
    const getMemory = (): WebAssembly.Memory => {
      if (!memory) throw new Error("agent memory used before instantiation finished");
      return memory;
    };
    const text = (ptr: number, len: number): string =>
      Buffer.from(getMemory().buffer, ptr, len).toString("utf8");
    const env = {
      log: (level: number, ptr: number, len: number) => host.log?.(level, text(ptr, len)),
      fatal: (ptr: number, len: number, line: number, column: number) => {
        throw new AgentFatal(text(ptr, len), line, column);
      },
      report: (channel: number, ptr: number, len: number) => host.report?.(channel, text(ptr, len)),
      fetch: (ptr: number, len: number, offset: number) => (host.fetch ? host.fetch(text(ptr, len), offset >>> 0) : ImportResult.NotProvided),
      fetch_cancel: () => host.fetchCancel?.(),
      apply_json: (ptr: number, len: number) => (host.applyJson ? host.applyJson(text(ptr, len)) : ImportResult.NotProvided),
      reset: () => host.reset?.(),
      sha256_native: host.nativeSha256 ? contextSha256Native(getMemory) : sha256NotProvided,
      ed25519_native: host.nativeEd25519 ? nodeEd25519Native(getMemory) : ed25519NotProvided,
      ...(host.flash ? host.flash(getMemory) : noFlash),
    };
    const instance = new WebAssembly.Instance(module, { env });
    const exports = instance.exports as unknown as AgentExports;
    memory = exports.memory;
    exports._start();
    return new AgentInstance(exports);
  }

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /** A view of the agent's I/O buffer (re-created per call: views die if memory is replaced). */
  ioBuffer(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, this.exports.io_buffer(), this.exports.io_buffer_size());
  }

  /** Names the running firmware (used when the device has no boot record yet), then boots. */
  boot(firmwareVersion?: string): number {
    if (firmwareVersion !== undefined) {
      const bytes = Buffer.from(firmwareVersion, "utf8");
      this.ioBuffer().set(bytes);
      check("firmware_version", this.exports.firmware_version(bytes.length));
    }
    return this.exports.boot();
  }

  configure(setting: Setting, value: number): void {
    check("configure", this.exports.configure(setting, value));
  }

  /** Delivers a document; one longer than the I/O buffer is cut to it, with its full length passed. */
  onConfig(source: ConfigSource, document: string | Uint8Array): void {
    const bytes = typeof document === "string" ? Buffer.from(document, "utf8") : document;
    const io = this.ioBuffer();
    io.set(bytes.subarray(0, io.length));
    check("on_config", this.exports.on_config(source, bytes.length));
  }

  onResponse(status: number, rangeStart: number, total: number): void {
    check("on_response", this.exports.on_response(status, rangeStart, total));
  }

  /** Body bytes, fed through the I/O buffer in pieces of at most its size. */
  onData(data: Uint8Array): void {
    const io = this.ioBuffer();
    for (let at = 0; at < data.length; at += io.length) {
      const chunk = data.subarray(at, at + io.length);
      io.set(chunk);
      check("on_data", this.exports.on_data(chunk.length));
    }
  }

  onDataEnd(ok: boolean): void {
    check("on_data_end", this.exports.on_data_end(ok ? 1 : 0));
  }

  onTick(nowMs: number): void {
    check("on_tick", this.exports.on_tick(nowMs >>> 0));
  }

  onHealthy(): void {
    check("on_healthy", this.exports.on_healthy());
  }

  state(): number {
    return this.exports.agent_state();
  }

  /** The bootloader's decision over flash (records any update it calls for): 1 A, 2 B, 0 none, < 0 flash error. */
  bootloaderDecide(): number {
    return this.exports.bootloader_decide();
  }

  /** From now on bootloaderDecide answers 0x100 + slot while that slot's image check is owed (docs/abi.md). */
  bootloaderCheckImages(): void {
    this.exports.bootloader_check_images(1);
  }

  /** The boot record's size for the slot whose check is owed (0: no record). */
  bootloaderCheckSize(): number {
    return this.exports.bootloader_check_size() >>> 0;
  }

  /** The owed check's outcome: `refusal` 0 accepted (`checked` on what grounds), else why not. */
  bootloaderCheckResult(slot: number, refusal: number, checked: number): void {
    check("bootloader_check_result", this.exports.bootloader_check_result(slot, refusal, checked));
  }

  /** SHA-256 of `data` computed by the agent, fed through the I/O buffer in `chunkSize` pieces. */
  sha256(data: Uint8Array, chunkSize = this.exports.io_buffer_size()): Buffer {
    const io = this.ioBuffer();
    if (chunkSize < 1 || chunkSize > io.length) throw new RangeError(`chunk size ${chunkSize} is outside 1..${io.length}`);
    check("sha256_init", this.exports.sha256_init());
    for (let at = 0; at < data.length; at += chunkSize) {
      const chunk = data.subarray(at, at + chunkSize);
      io.set(chunk);
      check("sha256_update", this.exports.sha256_update(chunk.length));
    }
    check("sha256_final", this.exports.sha256_final());
    return Buffer.from(io.subarray(0, 32));
  }

  /** A signed key-list update (`trust_update`, at most 1024 bytes): 0 accepted, -1 too long, -2 no key to authorise it, -3 refused, -4 flash write failed. */
  trustUpdate(keyList: Uint8Array): number {
    const io = this.ioBuffer();
    if (keyList.length > io.length) throw new RangeError(`a key list of ${keyList.length} bytes does not fit the ${io.length}-byte I/O buffer`);
    io.set(keyList);
    return this.exports.trust_update(keyList.length);
  }

  /** The agent's Ed25519 verdict (`ed25519_verify`) on a 64-byte signature, a 32-byte public key and a message. */
  ed25519Verify(signature: Uint8Array, publicKey: Uint8Array, message: Uint8Array): boolean {
    if (signature.length !== 64 || publicKey.length !== 32) throw new RangeError("signature must be 64 bytes and the key 32");
    const io = this.ioBuffer();
    io.set(signature, 0);
    io.set(publicKey, 64);
    io.set(message, 96);
    const verdict = this.exports.ed25519_verify(message.length);
    if (verdict !== 0 && verdict !== 1) throw new Error(`agent ed25519_verify returned ${verdict}`);
    return verdict === 1;
  }
}

function check(call: string, result: number): void {
  if (result !== AbiResult.Ok) throw new Error(`agent ${call} returned ${result}`);
}
