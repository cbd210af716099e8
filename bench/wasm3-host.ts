// The C host (host/, built by `npm run build:host`) running agent.wasm under wasm3.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BenchFailure } from "./bench-failure.ts";
import type { HashCommand } from "./callgrind.ts";

export function wasm3HostPath(root: string): string {
  return join(root, "build", "host", "otau-host");
}

export function wasm3HostBuilt(root: string): boolean {
  return existsSync(wasm3HostPath(root));
}

/** otau-host with the agent translated ahead of time (scripts/build-host.sh builds it too). */
export function aotHostPath(root: string): string {
  return join(root, "build", "host-aot", "otau-host");
}

/** otau-host built with -DOTAU_NATIVE_SHA256=ON: the agent's hashes go to its sha256_native import. */
export function wasm3NativeHostPath(root: string): string {
  return join(root, "build", "host-native", "otau-host");
}

/** Configures and builds the native-import otau-host into build/host-native/ (quietly). */
export function buildNativeHost(root: string): string {
  const dir = join(root, "build", "host-native");
  for (const args of [
    ["-S", join(root, "host"), "-B", dir, "-DCMAKE_BUILD_TYPE=Release", "-DOTAU_NATIVE_SHA256=ON", "-DOTAU_HOST_TESTS=OFF"],
    ["--build", dir, "--target", "otau-host", "--parallel", "2"],
  ]) {
    const run = spawnSync("cmake", args, { encoding: "utf8" });
    if (run.error) throw new BenchFailure(`cannot run cmake for the native-import host: ${run.error.message}`);
    if (run.status !== 0) throw new BenchFailure(`cmake ${args[0]} failed for the native-import host: ${(run.stdout + run.stderr).trim().split("\n").slice(-3).join(" ")}`);
  }
  return wasm3NativeHostPath(root);
}

/** `otau-host sha256 --agent <wasm> <file>`: the agent hashes the file, the host prints the digest. */
export function wasm3HashCommand(root: string, agentPath: string, inputPath: string, binary = wasm3HostPath(root)): HashCommand {
  return { binary, args: ["sha256", "--agent", agentPath, inputPath] };
}
