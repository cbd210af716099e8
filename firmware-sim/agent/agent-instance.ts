// Hosts build/agent.wasm in Node with the same raw ABI the C host links (docs/abi.md).
// The host side only moves bytes: every decision stays in the agent.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const DEFAULT_AGENT_PATH = fileURLToPath(new URL("../../build/agent.wasm", import.meta.url));

export enum LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 }

/** Flash imports, given the agent's memory (firmware-sim/flash implements them). */
export interface FlashImports {
  flash_info(area: number, out: number): number;
  flash_read(area: number, offset: number, ptr: number, len: number): number;
  flash_write(area: number, offset: number, ptr: number, len: number): number;
  flash_erase(area: number, offset: number, len: number): number;
}

/** What a Node host supplies. Unset parts get a default (log dropped, no flash). */
export interface AgentHost {
  log?(level: LogLevel, text: string): void;
  flash?(memory: () => WebAssembly.Memory): FlashImports;
}

/** The agent stopped itself (its `fatal` import): the instance must be discarded. */
export class AgentFatal extends Error {
  constructor(readonly agentMessage: string, readonly line: number, readonly column: number) {
    super(`agent fatal: ${agentMessage} (line ${line}, column ${column})`);
    this.name = "AgentFatal";
  }
}

const FLASH_NO_SUCH_AREA = -1;
const noFlash: FlashImports = {
  flash_info: () => FLASH_NO_SUCH_AREA,
  flash_read: () => FLASH_NO_SUCH_AREA,
  flash_write: () => FLASH_NO_SUCH_AREA,
  flash_erase: () => FLASH_NO_SUCH_AREA,
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
}

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

function compiledModule(path: string): Promise<WebAssembly.Module> {
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
      ...(host.flash ? host.flash(getMemory) : noFlash),
    };
    const instance = await WebAssembly.instantiate(await compiledModule(path), { env });
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

  boot(): number {
    return this.exports.boot();
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
}

function check(call: string, result: number): void {
  if (result !== 0) throw new Error(`agent ${call} returned ${result}`);
}
