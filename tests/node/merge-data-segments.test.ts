// scripts/merge-data-segments.mjs, the release agent's post-link step: fewer data segments, the
// same memory after instantiation, and a refusal for modules it cannot merge safely.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_PATH } from '../../firmware-sim/agent/agent-instance.ts';
// @ts-expect-error: a plain .mjs build script without type declarations
import { mergeDataSegments } from '../../scripts/merge-data-segments.mjs';

interface Merged { module: Buffer; before: number; after: number }
const merge = mergeDataSegments as (module: Buffer, maxGap?: number) => Merged;

function wasmOf(wat: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'merge-segments-'));
  try {
    writeFileSync(join(dir, 'm.wat'), wat);
    execFileSync('wat2wasm', [join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
    return readFileSync(join(dir, 'm.wasm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The module's exported memory right after instantiation, every import a no-op. */
async function memoryAfterInstantiation(module: Buffer): Promise<Uint8Array> {
  const compiled = await WebAssembly.compile(new Uint8Array(module));
  const env: Record<string, () => number> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(compiled)) if (from === 'env') env[name] = () => 0;
  const instance = await WebAssembly.instantiate(compiled, { env });
  return new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer.slice(0));
}

describe('merge-data-segments: the post-link step of the release agent', () => {
  const fixture = wasmOf(`(module (memory (export "memory") 1)
    (data (i32.const 100) "abc") (data (i32.const 8) "xy") (data (i32.const 110) "d") (data (i32.const 4000) "far"))`);

  it('joins segments at most max-gap bytes apart, sorted by address, and keeps far ones apart', async () => {
    const { module, before, after } = merge(fixture, 16);
    assert.deepEqual([before, after], [4, 3]);
    assert.deepEqual(await memoryAfterInstantiation(module), await memoryAfterInstantiation(fixture));
  });

  it('with max-gap 0 joins only segments that touch', () => {
    assert.equal(merge(fixture, 0).after, 4);
  });

  it('refuses a module with a passive segment (memory.init names segments by index)', () => {
    const passive = wasmOf('(module (memory 1) (data "p") (data (i32.const 0) "a"))');
    assert.throws(() => merge(passive), /not an active segment/);
  });

  it('build/agent.wasm is already merged, and merging it again changes nothing', async () => {
    const agent = readFileSync(DEFAULT_AGENT_PATH);
    const again = merge(agent);
    assert.ok(again.before <= 16, `build/agent.wasm has ${again.before} data segments`);
    assert.equal(again.after, again.before);
    assert.deepEqual(await memoryAfterInstantiation(again.module), await memoryAfterInstantiation(agent));
  });
});
