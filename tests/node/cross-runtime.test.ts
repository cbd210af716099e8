import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentInstance, DEFAULT_AGENT_PATH } from "../../firmware-sim/agent/agent-instance.ts";

const OTAU_HOST = fileURLToPath(new URL("../../build/host/otau-host", import.meta.url));

test("the same 1 MiB hashes identically through agent.wasm under Node, under the wasm3 host, and in node:crypto", async () => {
  const input = randomBytes(1 << 20);
  const dir = mkdtempSync(join(tmpdir(), "cross-runtime-"));
  try {
    const file = join(dir, "input.bin");
    writeFileSync(file, input);
    const expected = createHash("sha256").update(input).digest("hex");
    const agent = await AgentInstance.load();
    assert.equal(agent.sha256(input).toString("hex"), expected, "Node");
    const wasm3 = execFileSync(OTAU_HOST, ["sha256", "--agent", DEFAULT_AGENT_PATH, file], { encoding: "utf8" }).trim();
    assert.equal(wasm3, expected, "wasm3 host");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
