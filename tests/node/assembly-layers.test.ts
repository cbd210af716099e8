// The agent's modules form layers: otau/ (the engine) sits on manifest/, storage/, json/
// and crypto/, which never reach back up into it, and no chain of imports inside
// assembly/ comes back to where it started. Read from the sources' import lines.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const assemblyDir = fileURLToPath(new URL("../../assembly/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/** Module name (path under assembly/ without .ts) → the assembly/ modules it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(assemblyDir)) {
    const name = relative(assemblyDir, file).replace(/\.ts$/, "");
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) =>
      relative(assemblyDir, resolve(dirname(file), m[1])),
    );
    graph.set(name, targets);
  }
  return graph;
}

/** The first cycle found, as a list of modules, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === "done") return null;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe("assembly/ layering", () => {
  const graph = importGraph();

  it("reads the import lines of every module (the engine's table imports its handlers)", () => {
    assert.ok((graph.get("otau/machine") ?? []).includes("otau/intake"));
  });

  it("has no import cycle", () => {
    assert.equal(findCycle(graph)?.join(" → ") ?? null, null);
  });

  it("manifest/, storage/, json/ and crypto/ import nothing from otau/", () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      /^(manifest|storage|json|crypto)\//.test(from) ? targets.filter((t) => t.startsWith("otau/")).map((t) => `${from} → ${t}`) : [],
    );
    assert.deepEqual(upward, []);
  });

  it("keeps every engine file under 300 lines", () => {
    const long = sourceFiles(join(assemblyDir, "otau"))
      .map((file) => ({ file: relative(assemblyDir, file), lines: readFileSync(file, "utf8").split("\n").length }))
      .filter(({ lines }) => lines > 300);
    assert.deepEqual(long, []);
  });

  it("index.ts imports only at its top", () => {
    const lines = readFileSync(join(assemblyDir, "index.ts"), "utf8").split("\n");
    const firstCode = lines.findIndex((line) => /^(export|const|let|function)\b/.test(line));
    const lateImports = lines.slice(firstCode).filter((line) => /^import\b/.test(line));
    assert.deepEqual(lateImports, []);
  });
});
