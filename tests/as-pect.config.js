// as-pect runs the agent's specs compiled with the project's asconfig.json options
// (stub runtime) through tests/as-pect.asconfig.json, with 16 pages instead of one: the
// spec framework itself allocates on the never-freeing heap. json-as (the oracle of
// json-oracle.spec.ts, with its transform) is built into the specs only, never into the agent;
// JSON_CACHE_SIZE=128 keeps its string cache from reserving 1 MiB at start.
import { engineHostImports } from "./agent/engine-host.js";
import { sha256NativeImports } from "./agent/sha256-native.js";
import { storageFlashImports } from "./agent/storage-flash.js";

export default {
  entries: ["tests/agent/**/*.spec.ts"],
  include: [],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    // The spec module defines and exports its own memory: text and flash I/O go through that one.
    const text = (ptr, len) => Buffer.from(agent.exports.memory.buffer, ptr, len).toString("utf8");
    const agent = await instantiate(binary, createImports({
      env: {
        ...engineHostImports(() => agent.exports.memory),
        memory,
        log: (level, ptr, len) => { if (process.env.AGENT_LOG) console.log(`[agent ${level}] ${text(ptr, len)}`); },
        fatal: (ptr, len, line, column) => { throw new Error(`agent fatal: ${text(ptr, len)}:${line}:${column}`); },
        ...storageFlashImports(() => agent.exports.memory),
        ...sha256NativeImports(() => agent.exports.memory),
        // No native Ed25519 (the ed25519_native import): the specs test the agent's own verifier.
        ed25519_native: () => -1,
      },
    }));
    return agent;
  },
  outputBinary: false,
};
