import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { AgentInstance, DEFAULT_AGENT_PATH } from "../../firmware-sim/agent/agent-instance.ts";
import { Sha256Native } from "../../firmware-sim/agent/abi.ts";
import { contextSha256Native } from "../../firmware-sim/agent/native-sha256.ts";

const nodeSha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

test("the agent's SHA-256 under Node matches node:crypto for random inputs in chunks of 1, 63, 64, 65 and 4096 bytes", async () => {
  const agent = await AgentInstance.load();
  for (const length of [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4095, 4096, 4097, 20_000]) {
    const data = randomBytes(length);
    for (const chunk of [1, 63, 64, 65, 4096]) {
      assert.equal(agent.sha256(data, chunk).toString("hex"), nodeSha256(data), `length ${length}, chunks of ${chunk}`);
    }
  }
});

test("with nativeSha256 the agent's SHA-256 under Node still matches node:crypto for the same inputs and chunkings", async () => {
  const agent = await AgentInstance.load({ nativeSha256: true });
  for (const length of [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4095, 4096, 4097, 20_000]) {
    const data = randomBytes(length);
    for (const chunk of [1, 63, 64, 65, 4096]) {
      assert.equal(agent.sha256(data, chunk).toString("hex"), nodeSha256(data), `length ${length}, chunks of ${chunk}`);
    }
  }
});

test("a host that offers sha256_native gets every hash operation after one probe; one that refuses the probe gets none", async () => {
  const module = await WebAssembly.compile(await readFile(DEFAULT_AGENT_PATH));
  for (const offered of [true, false]) {
    const operations: number[] = [];
    let memory: WebAssembly.Memory | undefined;
    const native = contextSha256Native(() => memory!);
    const noop = () => 0;
    const env: Record<string, unknown> = Object.fromEntries(WebAssembly.Module.imports(module).map((entry) => [entry.name, noop]));
    env.sha256_native = (op: number, ctx: number, ptr: number, len: number) => {
      operations.push(op);
      return offered ? native(op, ctx, ptr, len) : -1;
    };
    const instance = await WebAssembly.instantiate(module, { env: env as WebAssembly.ModuleImports });
    const abi = instance.exports as Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory };
    memory = abi.memory;
    abi._start();
    for (let round = 0; round < 2; round++) {
      new Uint8Array(memory.buffer, abi.io_buffer(), 3).set(Buffer.from("abc"));
      abi.sha256_init();
      abi.sha256_update(3);
      abi.sha256_final();
      assert.equal(Buffer.from(memory.buffer, abi.io_buffer(), 32).toString("hex"), nodeSha256(Buffer.from("abc")));
    }
    const { Probe, Init, Update, Final } = Sha256Native;
    assert.deepEqual(operations, offered ? [Probe, Init, Update, Final, Init, Update, Final] : [Probe], `offered: ${offered}`);
  }
});

test("sha256_update refuses a length past the I/O buffer and sha256_final refuses without an open hash", async () => {
  const module = await WebAssembly.compile(await readFile(DEFAULT_AGENT_PATH));
  const noop = () => 0;
  const env = Object.fromEntries(WebAssembly.Module.imports(module).map((entry) => [entry.name, noop]));
  const instance = await WebAssembly.instantiate(module, { env });
  const abi = instance.exports as Record<string, (...args: number[]) => number>;
  abi._start();
  assert.equal(abi.sha256_final(), -2, "final before init is WrongState");
  assert.equal(abi.sha256_init(), 0);
  assert.equal(abi.sha256_update(abi.io_buffer_size() + 1), -1, "update past the buffer is LengthTooLarge");
  assert.equal(abi.sha256_update(abi.io_buffer_size()), 0);
});

test("boot() logs the agent version, and without flash returns the NoSuchArea storage status", async () => {
  const lines: string[] = [];
  const agent = await AgentInstance.load({ log: (_level, text) => lines.push(text) });
  assert.equal(agent.boot(), -1);
  assert.match(lines.join("\n"), /otau agent \d+\.\d+\.\d+ booted/);
});

test("firmware-sim's sha256_native keeps its state in the context bytes: a copied context hashes on from where the original stood", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const bytes = new Uint8Array(memory.buffer);
  const native = contextSha256Native(() => memory);
  const [a, b, data, digest] = [0, 128, 1024, 2048];
  const text = randomBytes(200);
  bytes.set(text, data);
  assert.equal(native(Sha256Native.Init, a, 0, 0), 0);
  assert.equal(native(Sha256Native.Update, a, data, 150), 0);
  bytes.copyWithin(b, a, a + 112);
  assert.equal(native(Sha256Native.Update, a, data + 150, 50), 0);
  assert.equal(native(Sha256Native.Final, a, digest, 32), 0);
  assert.equal(Buffer.from(bytes.subarray(digest, digest + 32)).toString("hex"), nodeSha256(text));
  assert.equal(native(Sha256Native.Final, b, digest, 32), 0);
  assert.equal(Buffer.from(bytes.subarray(digest, digest + 32)).toString("hex"), nodeSha256(text.subarray(0, 150)));
});
