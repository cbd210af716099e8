// Running build/host/otau-host (the agent under wasm3 on Linux) as a child process in tests,
// and reading its flash image file back.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AGENT_PATH } from '../../../firmware-sim/agent/agent-instance.ts';

export const OTAU_HOST = fileURLToPath(new URL('../../../build/host/otau-host', import.meta.url));
/** otau-host with build/agent.wasm translated ahead of time by wasm2c (scripts/build-host.sh). */
export const OTAU_HOST_AOT = fileURLToPath(new URL('../../../build/host-aot/otau-host', import.meta.url));
/** wasm3, with the agent's ed25519_native import answered by the bootloader's translated verifier (-DOTAU_NATIVE_ED25519=ON). */
export const OTAU_HOST_NATIVE_ED25519 = fileURLToPath(new URL('../../../build/host-ed25519/otau-host', import.meta.url));
export const AGENT_PATH = DEFAULT_AGENT_PATH;

/** otau-host's default flash layout: boot record, then slot A, then slot B, back to back. */
export const FLASH_LAYOUT = { bootRecordSize: 16384, slotSize: 262144 } as const;

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HostProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<HostExit>;
}

/** Starts `otau-host <args>`, or `<wrapper…> otau-host <args>` (e.g. under valgrind); `host` picks the build. */
export function startHost(args: readonly string[], wrapper: readonly string[] = [], host: string = OTAU_HOST): HostProcess {
  const command = wrapper.length > 0 ? wrapper[0] : host;
  const commandArgs = wrapper.length > 0 ? [...wrapper.slice(1), host, ...args] : [...args];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<HostExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => text, exited };
}

/** Waits for the exit; after `timeoutMs` kills the process and fails with its output. */
export async function hostExit(host: HostProcess, timeoutMs: number): Promise<HostExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      host.child.kill('SIGKILL');
      reject(new Error(`otau-host did not exit within ${timeoutMs} ms; its output:\n${host.output()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([host.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first `length` bytes of slot A or B in a flash image file of FLASH_LAYOUT. */
export function readSlot(flashPath: string, slot: 'A' | 'B', length: number): Buffer {
  const offset = FLASH_LAYOUT.bootRecordSize + (slot === 'B' ? FLASH_LAYOUT.slotSize : 0);
  const bytes = Buffer.alloc(length);
  const file = openSync(flashPath, 'r');
  try {
    readSync(file, bytes, 0, length, offset);
  } finally {
    closeSync(file);
  }
  return bytes;
}
