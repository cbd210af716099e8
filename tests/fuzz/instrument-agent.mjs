// Coverage points for the fuzzer inside the agent: a copy of agent.wasm with a call
// env.fuzz_cover(id) at every function entry, both arms of every `if`, every loop head and
// after every labelled block (where its branches land). The harness counts them in libFuzzer's
// extra counters, so the campaign is guided by the agent's own paths, not only by which
// interpreter routines ran, and can say how many of the agent's points it reached.
// usage: node tests/fuzz/instrument-agent.mjs <agent.wasm> <out.wasm>   (prints the point count)
import { readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node tests/fuzz/instrument-agent.mjs <agent.wasm> <out.wasm>');
  process.exit(2);
}
const mod = binaryen.readBinary(readFileSync(input));
mod.setFeatures(binaryen.Features.All);
mod.addFunctionImport('fuzz_cover', 'env', 'fuzz_cover', binaryen.i32, binaryen.none);
let points = 0;
const probe = () => mod.call('fuzz_cover', [mod.i32.const(points++)], binaryen.none);

// Fields of getExpressionInfo that hold child expressions.
const CHILD_FIELDS = ['children', 'condition', 'ifTrue', 'ifFalse', 'body', 'value', 'ptr', 'left', 'right',
  'operands', 'expected', 'replacement', 'target', 'size', 'dest', 'source', 'delta', 'offset', 'ref', 'values'];

function visit(expr) {
  const id = binaryen.getExpressionId(expr);
  if (id === binaryen.ConstId) return; // its `value` is a number, not an expression
  const info = binaryen.getExpressionInfo(expr);
  for (const field of CHILD_FIELDS) {
    const child = info[field];
    if (Array.isArray(child)) child.forEach((c) => c && visit(c));
    else if (typeof child === 'number' && child !== 0 && field !== 'offset' && field !== 'size') visit(child);
    else if (typeof child === 'number' && child !== 0 && (id === binaryen.MemoryFillId || id === binaryen.MemoryCopyId)) visit(child);
  }
  if (id === binaryen.IfId) {
    binaryen.If.setIfTrue(expr, mod.block(null, [probe(), info.ifTrue], binaryen.auto));
    if (info.ifFalse) binaryen.If.setIfFalse(expr, mod.block(null, [probe(), info.ifFalse], binaryen.auto));
    else if (info.type === binaryen.none) binaryen.If.setIfFalse(expr, probe());
  } else if (id === binaryen.LoopId) {
    binaryen.Loop.setBody(expr, mod.block(null, [probe(), info.body], binaryen.auto));
  } else if (id === binaryen.BlockId) {
    // After a labelled statement block: where its `br`s land. From the end, so indices hold.
    for (let i = info.children.length - 1; i >= 0; i--) {
      const child = info.children[i];
      if (binaryen.getExpressionId(child) !== binaryen.BlockId) continue;
      const childInfo = binaryen.getExpressionInfo(child);
      const last = i === info.children.length - 1;
      if (childInfo.name && childInfo.type === binaryen.none && (!last || info.type === binaryen.none)) {
        binaryen.Block.insertChildAt(expr, i + 1, probe());
      }
    }
  }
}

for (let i = 0; i < mod.getNumFunctions(); i++) {
  const fn = mod.getFunctionByIndex(i);
  const info = binaryen.getFunctionInfo(fn);
  if (info.module || !info.body) continue; // an import
  visit(info.body);
  binaryen.Function.setBody(fn, mod.block(null, [probe(), info.body], info.results));
}
if (!mod.validate()) {
  console.error('instrument-agent: the instrumented module does not validate');
  process.exit(1);
}
writeFileSync(output, mod.emitBinary());
console.log(points);
