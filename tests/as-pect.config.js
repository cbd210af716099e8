// as-pect runs the agent's specs compiled with the project's asconfig.json options
// (stub runtime, one memory page) through tests/as-pect.asconfig.json.
import { storageFlashImports, unavailableHostEffects } from "./agent/storage-flash.js";

export default {
  entries: ["tests/agent/**/*.spec.ts"],
  include: [],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    const text = (ptr, len) => Buffer.from(memory.buffer, ptr, len).toString("utf8");
    // The spec module defines and exports its own memory: flash I/O goes through that one.
    const agent = await instantiate(binary, createImports({
      env: {
        ...unavailableHostEffects(),
        memory,
        log: (level, ptr, len) => { if (process.env.AGENT_LOG) console.log(`[agent ${level}] ${text(ptr, len)}`); },
        fatal: (ptr, len, line, column) => { throw new Error(`agent fatal: ${text(ptr, len)}:${line}:${column}`); },
        ...storageFlashImports(() => agent.exports.memory),
      },
    }));
    return agent;
  },
  outputBinary: false,
};
