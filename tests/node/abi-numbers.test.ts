// The ABI's numbers are written three times: the agent's (assembly/abi.ts), the C hosts'
// (host/include/otau_abi.h) and firmware-sim's (firmware-sim/agent/abi.ts). Each enum of the
// agent is read from its source and compared, member by member, with the other two.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import * as simAbi from "../../firmware-sim/agent/abi.ts";

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), "utf8");

type Members = Map<string, number>;

/** Enum bodies in `text`: `keyword Name { A = 1, B, ... }`, implicit values counting on from the last. */
function parseEnums(text: string, header: RegExp): Map<string, Members> {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  const enums = new Map<string, Members>();
  for (const match of withoutComments.matchAll(header)) {
    const members: Members = new Map();
    let next = 0;
    for (const entry of match[2].split(",").map((part) => part.trim()).filter(Boolean)) {
      const [name, value] = entry.split("=").map((part) => part.trim());
      const number = value === undefined ? next : Number(value);
      assert.ok(Number.isInteger(number), `${match[1]}.${name}: ${value} is not a number literal`);
      members.set(name, number);
      next = number + 1;
    }
    enums.set(match[1], members);
  }
  return enums;
}

/** "MuranoConfigOtau" → "MURANO_CONFIG_OTAU", "SlotA" → "SLOT_A". */
const upperSnake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** Each agent enum, its C enum and the C names' prefix. */
const C_NAMES: Record<string, [tag: string, prefix: string]> = {
  AbiResult: ["otau_abi_result", "OTAU_ABI_"],
  ConfigSource: ["otau_config_source", "OTAU_CONFIG_"],
  AgentState: ["otau_state", "OTAU_STATE_"],
  Setting: ["otau_setting", "OTAU_SETTING_"],
  LogLevel: ["otau_log_level", "OTAU_LOG_"],
  Channel: ["otau_channel", "OTAU_CHANNEL_"],
  ImportResult: ["otau_import_result", "OTAU_IMPORT_"],
  Area: ["otau_flash_area", "OTAU_AREA_"],
  FlashCode: ["otau_flash_result", "OTAU_FLASH_"],
  Sha256Native: ["otau_sha256_op", "OTAU_SHA256_"],
  Sha256NativeResult: ["otau_sha256_result", "OTAU_SHA256_"],
  Ed25519NativeResult: ["otau_ed25519_result", "OTAU_ED25519_"],
};

/** Members that are not ABI values: the table's wildcard state. */
const NOT_ABI = new Set(["AgentState.Any"]);

const agent = parseEnums(read("../../assembly/abi.ts"), /export const enum (\w+) \{([^}]*)\}/g);
const c = parseEnums(read("../../host/include/otau_abi.h"), /enum (\w+) \{([^}]*)\}/g);

function abiMembers(owner: string, members: Members): [string, number][] {
  return [...members].filter(([name]) => !NOT_ABI.has(`${owner}.${name}`));
}

describe("ABI numbers: assembly/abi.ts, host/include/otau_abi.h, firmware-sim/agent/abi.ts", () => {
  it("reads every enum of the agent's ABI module, and each has a C counterpart", () => {
    assert.ok(agent.size >= 10, `only ${agent.size} enums read from assembly/abi.ts`);
    assert.deepEqual([...agent.keys()].sort(), Object.keys(C_NAMES).sort());
    assert.deepEqual([...c.keys()].sort(), Object.values(C_NAMES).map(([tag]) => tag).sort());
  });

  for (const [name, [tag, prefix]] of Object.entries(C_NAMES)) {
    it(`${name} has the same members and values in C (enum ${tag}) and in firmware-sim`, () => {
      const own = abiMembers(name, agent.get(name)!);
      assert.ok(own.length > 0);
      const expectedC = own.map(([member, value]) => [prefix + upperSnake(member), value]);
      assert.deepEqual(abiMembers(tag, c.get(tag)!), expectedC);
      const sim = (simAbi as Record<string, unknown>)[name] as Record<string, string | number> | undefined;
      assert.ok(sim, `firmware-sim/agent/abi.ts has no enum ${name}`);
      const simMembers = Object.entries(sim).filter(([, value]) => typeof value === "number");
      assert.deepEqual(simMembers, own);
    });
  }
});
