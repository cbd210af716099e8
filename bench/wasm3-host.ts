// The C host (host/, built by `npm run build:host`) running agent.wasm under wasm3.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { HashCommand } from "./callgrind.ts";

export function wasm3HostPath(root: string): string {
  return join(root, "build", "host", "otau-host");
}

export function wasm3HostBuilt(root: string): boolean {
  return existsSync(wasm3HostPath(root));
}

/** `otau-host sha256 --agent <wasm> <file>`: the agent hashes the file, the host prints the digest. */
export function wasm3HashCommand(root: string, agentPath: string, inputPath: string): HashCommand {
  return { binary: wasm3HostPath(root), args: ["sha256", "--agent", agentPath, inputPath] };
}
