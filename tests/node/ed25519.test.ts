// The agent's Ed25519 verifier (assembly/crypto/ed25519.ts, through the ed25519_verify
// export of build/agent.wasm) against node:crypto (OpenSSL) as the oracle: the same
// verdict on random valid signatures, on each kind of mutation, and on the encodings
// implementations are known to disagree on (small-order points, non-canonical values, S >= L).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_PATH, OTAU_HOST, OTAU_HOST_AOT } from "./support/otau-host.ts";
import { AgentInstance, DEFAULT_AGENT_PATH } from "../../firmware-sim/agent/agent-instance.ts";
import { MUTATIONS, NON_CANONICAL, RFC8032_VECTORS, SMALL_ORDER, flipBit, nodeVerdict, signedAndMutated, toBytes } from "./support/ed25519-cases.ts";
import type { Triple } from "./support/ed25519-cases.ts";
import { nodeEd25519Native } from "../../firmware-sim/agent/native-ed25519.ts";

test("the agent's Ed25519 verdict equals node:crypto's on 10,000 random signatures and a mutation of each (every kind in turn)", async () => {
  const agent = await AgentInstance.load();
  const counts = new Map<string, { accepted: number; refused: number }>();
  const tally = (kind: string, verdict: boolean) => {
    const entry = counts.get(kind) ?? { accepted: 0, refused: 0 };
    if (verdict) entry.accepted++; else entry.refused++;
    counts.set(kind, entry);
  };
  for (const { index, kind, valid, mutated } of signedAndMutated(10_000)) {
    assert.equal(agent.ed25519Verify(valid.signature, valid.publicKey, valid.message), true, `valid triple ${index}`);
    tally("valid", true);
    const expected = nodeVerdict(mutated.signature, mutated.publicKey, mutated.message);
    const actual = agent.ed25519Verify(mutated.signature, mutated.publicKey, mutated.message);
    assert.equal(actual, expected, `${kind} (triple ${index}): signature ${mutated.signature.toString("hex")} key ${mutated.publicKey.toString("hex")} message ${mutated.message.toString("hex")}`);
    tally(kind, actual);
  }
  assert.equal(counts.get("valid")!.accepted, 10_000);
  for (const [kind] of MUTATIONS) assert.ok((counts.get(kind)?.refused ?? 0) > 0, `${kind}: some were refused`);
});

test("with the optional ed25519_native import (node:crypto in the simulator) the agent gives the verdict its own verifier gives, on 1,000 random signatures and a mutation of each", async () => {
  const portable = await AgentInstance.load();
  // The accelerated agent: every import a no-op but ed25519_native, firmware-sim's, counted.
  const module = await WebAssembly.compile(await readFile(DEFAULT_AGENT_PATH));
  let memory: WebAssembly.Memory | undefined;
  const native = nodeEd25519Native(() => memory!);
  let nativeCalls = 0;
  const env: Record<string, unknown> = Object.fromEntries(WebAssembly.Module.imports(module).map((entry) => [entry.name, () => 0]));
  env.ed25519_native = (signature: number, key: number, message: number, len: number) => (nativeCalls++, native(signature, key, message, len));
  const instance = await WebAssembly.instantiate(module, { env: env as WebAssembly.ModuleImports });
  const abi = instance.exports as Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory };
  memory = abi.memory;
  abi._start();
  const accelerated = (t: Triple): boolean => {
    const io = new Uint8Array(memory!.buffer, abi.io_buffer(), 1024);
    io.set(t.signature, 0);
    io.set(t.publicKey, 64);
    io.set(t.message, 96);
    return abi.ed25519_verify(t.message.length) === 1;
  };
  const verdicts = { valid: 0, invalid: 0 };
  for (const { index, kind, valid, mutated } of signedAndMutated(1_000)) {
    for (const t of [valid, mutated]) {
      const own = portable.ed25519Verify(t.signature, t.publicKey, t.message);
      assert.equal(accelerated(t), own, `${kind} (triple ${index})`);
      verdicts[own ? "valid" : "invalid"]++;
    }
  }
  assert.equal(nativeCalls, 2_000, "every verification went to the host");
  assert.ok(verdicts.valid >= 1_000 && verdicts.invalid > 0, JSON.stringify(verdicts));
});

test("on small-order and non-canonical keys and R values with S = 0, 1 and random, the agent agrees with node:crypto (which accepts some)", async () => {
  const agent = await AgentInstance.load();
  const encodings = [...SMALL_ORDER, ...NON_CANONICAL];
  const message = Buffer.from("small-order cases");
  let accepted = 0;
  for (const key of encodings) {
    for (const r of encodings) {
      for (const s of [toBytes(0n), toBytes(1n), randomBytes(31)]) {
        const signature = Buffer.concat([r, s.length === 32 ? s : Buffer.concat([s, Buffer.alloc(1)])]);
        const expected = nodeVerdict(signature, key, message);
        assert.equal(agent.ed25519Verify(signature, key, message), expected, `key ${key.toString("hex")} R ${r.toString("hex")} S ${signature.subarray(32).toString("hex")}`);
        if (expected) accepted++;
      }
    }
  }
  // OpenSSL, like RFC 8032's cofactorless check, accepts e.g. the identity key with R = identity and S = 0.
  assert.ok(accepted > 0);
});

test("ed25519_verify refuses inputs past the I/O buffer's first 1024 bytes, its work area beyond (-1), and takes a message that just fits", async () => {
  const module = await WebAssembly.compile(await readFile(DEFAULT_AGENT_PATH));
  const env = Object.fromEntries(WebAssembly.Module.imports(module).map((entry) => [entry.name, () => 0]));
  const instance = await WebAssembly.instantiate(module, { env });
  const abi = instance.exports as Record<string, (...args: number[]) => number>;
  abi._start();
  const room = 1024 - 96;
  assert.equal(abi.ed25519_verify(room + 1), -1);
  assert.equal(abi.ed25519_verify(room), 0); // zeros: not a signature
});

for (const [runtime, host] of [["wasm3", OTAU_HOST], ["aot", OTAU_HOST_AOT]] as const) {
  test(`under the ${runtime} host (otau-host ed25519) the RFC 8032 vectors verify and their bit-flipped variants do not, as node:crypto says`, () => {
    const dir = mkdtempSync(join(tmpdir(), "otau-ed25519-"));
    try {
      const file = join(dir, "case.bin");
      for (const [i, v] of RFC8032_VECTORS.entries()) {
        const cases = [v, { ...v, signature: flipBit(v.signature, 3) }, { ...v, signature: flipBit(v.signature, 300) }, { ...v, key: flipBit(v.key, 77) }];
        for (const [j, c] of cases.entries()) {
          writeFileSync(file, Buffer.concat([c.signature, c.key, c.message]));
          const verdict = execFileSync(host, ["ed25519", "--agent", AGENT_PATH, file], { encoding: "utf8" }).trim();
          assert.equal(verdict, nodeVerdict(c.signature, c.key, c.message) ? "valid" : "invalid", `vector ${i + 1}, case ${j}`);
          assert.equal(verdict, j === 0 ? "valid" : "invalid", `vector ${i + 1}, case ${j}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
