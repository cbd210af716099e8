// The QEMU mps2-an386 board as a device on the host: its NOR part is a file (PSRAM backed by
// it, so slots and the boot record persist across resets and runs), the bootloader image is
// loaded at 0x0, UART0 connects to a UartBridge's port, and the semihosting console is read
// line by line. Used by the QEMU update tests and the power-kill campaign.
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { openSync, closeSync, writeSync } from "node:fs";

/** boards/qemu-mps2-an386/flash_layout.h: 16 MiB of PSRAM; the boot record at 0 (16 KiB), slot A
 * at 0x40000, slot B at 0x80000, the trust store (area 3, 8 KiB) at 0xC0000; 4 KiB sectors. */
export const NOR_PART_BYTES = 16 * 1024 * 1024;
export const SLOT_OFFSETS = { A: 0x40000, B: 0x80000 } as const;
export const SLOT_BYTES = 0x40000;
export const BOOT_RECORD_BYTES = 0x4000;
export const TRUST_STORE_OFFSET = 0xc0000;
export const TRUST_STORE_BYTES = 0x2000;
export const SECTOR_BYTES = 4096;
const ERASED = 0xff;

/**
 * A factory-fresh part: every byte erased, then `factoryImage` programmed into slot A and, for a
 * device with keys, `trustStore` (a committed copy, firmware-sim/flash/trust-store.ts
 * encodeTrustStore) into area 3, as a factory programs them before the first boot.
 */
export function provisionFlash(path: string, factoryImage: Uint8Array, trustStore?: Uint8Array): void {
  if (factoryImage.length > SLOT_BYTES) throw new Error(`the factory image (${factoryImage.length} bytes) is larger than a slot`);
  const part = Buffer.alloc(NOR_PART_BYTES, ERASED);
  part.set(factoryImage, SLOT_OFFSETS.A);
  if (trustStore) part.set(trustStore, TRUST_STORE_OFFSET);
  const file = openSync(path, "w");
  try {
    writeSync(file, part);
  } finally {
    closeSync(file);
  }
}

export interface QemuBoardOptions {
  bootloader: string;
  flashFile: string;
  /** The UartBridge's port on 127.0.0.1. */
  bridgePort: number;
  /** Deterministic time: one instruction per nanosecond (default true). */
  icount?: boolean;
}

/** The arguments that run the board (what boards/README.md shows for a run by hand). */
export function qemuArguments(options: QemuBoardOptions): string[] {
  return [
    "-M", "mps2-an386,memory-backend=nor",
    "-object", `memory-backend-file,id=nor,size=${NOR_PART_BYTES},mem-path=${options.flashFile},share=on`,
    "-nographic", "-monitor", "none",
    "-serial", `tcp:127.0.0.1:${options.bridgePort}`,
    ...(options.icount === false ? [] : ["-icount", "shift=0"]),
    "-semihosting-config", "enable=on,target=native",
    "-kernel", options.bootloader,
  ];
}

/** One QEMU run. Events: `line` (each console line), `exit` (code, signal). */
export class QemuBoard extends EventEmitter {
  readonly lines: string[] = [];
  /** False once QEMU has ended. */
  running = true;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly process: ChildProcess;
  private partial = "";

  constructor(options: QemuBoardOptions) {
    super();
    this.process = spawn("qemu-system-arm", qemuArguments(options), { stdio: ["ignore", "pipe", "pipe"] });
    const take = (chunk: Buffer): void => {
      const text = this.partial + chunk.toString("utf8");
      const parts = text.split("\n");
      this.partial = parts.pop() ?? "";
      for (const line of parts) {
        this.lines.push(line);
        this.emit("line", line);
      }
    };
    this.process.stdout?.on("data", take);
    this.process.stderr?.on("data", take);
    this.exited = new Promise((resolve) => this.process.on("exit", (code, signal) => {
      this.running = false;
      this.emit("exit", code, signal);
      resolve({ code, signal });
    }));
  }

  /** Pulls the plug: SIGKILL, nothing flushed. */
  async kill(): Promise<void> {
    this.process.kill("SIGKILL");
    await this.exited;
  }

  /** Resolves with the first line from the `from`th on that matches; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs: number, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const seen = this.lines.slice(from).find((line) => pattern.test(line));
      if (seen !== undefined) return resolve(seen);
      const onLine = (line: string): void => {
        if (!pattern.test(line)) return;
        stop();
        resolve(line);
      };
      const onExit = (): void => {
        stop();
        reject(new Error(`QEMU exited before a line matching ${pattern}; console:\n${this.lines.slice(-30).join("\n")}`));
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; console:\n${this.lines.slice(-30).join("\n")}`));
      }, timeoutMs);
      const stop = (): void => {
        clearTimeout(timer);
        this.off("line", onLine);
        this.off("exit", onExit);
      };
      this.on("line", onLine);
      this.on("exit", onExit);
    });
  }
}
