// The version grammar and order (assembly/manifest/version.ts) against semver.org: the
// precedence chain of §11 and the valid and invalid strings of the SemVer 2.0.0 grammar
// (the examples the specification's BNF and regular expression are checked with).
import { NOT_COMPARABLE, compareVersions, firstControlByte, isSemanticVersion } from "../../assembly/manifest/version";

const scratch = memory.data(256);
const other = memory.data(256);

function put(text: string, at: usize): i32 {
  return <i32>String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, at, false);
}

function valid(text: string): bool {
  return isSemanticVersion(scratch, put(text, scratch));
}

function compare(a: string, b: string): i32 {
  return compareVersions(scratch, put(a, scratch), other, put(b, other));
}

const VALID: string[] = [
  "0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid", "1.0.0-alpha",
  "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1", "1.0.0-alpha0.valid", "1.0.0-alpha.0valid",
  "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123",
  "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "1.0.0", "2.0.0", "1.1.7", "2.0.0+build.1848",
  "2.0.1-alpha.1227", "1.0.0-alpha+beta", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta",
  "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
  "99999999999999999999999.999999999999999999.99999999999999999", "1.0.0-0A.is.legal",
];

const INVALID: string[] = [
  "1", "1.2", "1.2.3-0123", "1.2.3-0123.0123", "1.1.2+.123", "+invalid", "-invalid", "-invalid+invalid",
  "-invalid.01", "alpha", "alpha.beta", "alpha.beta.1", "alpha.1", "alpha+beta", "alpha_beta", "alpha.", "alpha..",
  "beta", "1.0.0-alpha_beta", "-alpha.", "1.0.0-alpha..", "1.0.0-alpha..1", "1.0.0-alpha...1", "01.1.1", "1.01.1",
  "1.1.01", "1.2.3.DEV", "1.2-SNAPSHOT", "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", "1.2-RC-SNAPSHOT",
  "-1.0.3-gamma+b7718", "+justmeta", "9.8.7+meta+meta", "9.8.7-whatever+meta+meta",
  // What the hostile-input campaign sent with downgrades forbidden, and other near misses.
  "0.9.0.1", "v0.1.0", "1.0.0 ", " 1.0.0", "r1", "", "1.0.0-", "1.0.0+", "1.0.0-a.", "1..0", "1.0.0\u0000",
];

describe("version grammar: SemVer 2.0.0", () => {
  it("accepts every valid example", () => {
    let refused = "";
    for (let i = 0; i < VALID.length; i++) if (!valid(VALID[i]) && refused.length == 0) refused = VALID[i];
    expect<string>(refused).toBe("");
  });

  it("refuses every invalid example, including 0.9.0.1, v0.1.0, a trailing space and r1", () => {
    let accepted = "";
    for (let i = 0; i < INVALID.length; i++) if (valid(INVALID[i]) && accepted.length == 0) accepted = INVALID[i];
    expect<string>(accepted).toBe("");
  });
});

describe("version precedence: semver.org §11", () => {
  it("orders the specification's chain 1.0.0-alpha < 1.0.0-alpha.1 < … < 1.0.0 strictly", () => {
    const chain: string[] = [
      "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
      "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1",
    ];
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) {
        const expected: i32 = i < j ? -1 : (i > j ? 1 : 0);
        expect<i32>(compare(chain[i], chain[j])).toBe(expected, chain[i] + " vs " + chain[j]);
      }
    }
  });

  it("compares numbers by value at any length, not as text", () => {
    expect<i32>(compare("1.10.0", "1.9.0")).toBe(1);
    expect<i32>(compare("1.0.0-rc.10", "1.0.0-rc.9")).toBe(1);
    expect<i32>(compare("99999999999999999999999.0.0", "9999999999999999999999.0.0")).toBe(1);
    expect<i32>(compare("1.0.0-2", "1.0.0-10")).toBe(-1);
  });

  it("ignores build metadata", () => {
    expect<i32>(compare("1.0.0+build.1", "1.0.0+build.2")).toBe(0);
    expect<i32>(compare("1.0.0-rc.1+a", "1.0.0-rc.1")).toBe(0);
    expect<i32>(compare("1.0.0+zzz", "1.0.1")).toBe(-1);
  });

  it("a string that is not a semantic version cannot be ordered", () => {
    expect<i32>(compare("r1", "2.0.0")).toBe(NOT_COMPARABLE);
    expect<i32>(compare("2.0.0", "0.9.0.1")).toBe(NOT_COMPARABLE);
    expect<i32>(compare("1.0.0 ", "2.0.0")).toBe(NOT_COMPARABLE);
  });
});

describe("version bytes", () => {
  it("finds NUL, other C0 controls, DEL and C1 controls; accepts printable text and other UTF-8", () => {
    expect<i32>(firstControlByte(scratch, put("1.0.0\u0000", scratch))).toBe(5);
    expect<i32>(firstControlByte(scratch, put("1.0\n.0", scratch))).toBe(3);
    expect<i32>(firstControlByte(scratch, put("\u001b[31m1.0.0", scratch))).toBe(0);
    expect<i32>(firstControlByte(scratch, put("1.0.0\u007f", scratch))).toBe(5);
    expect<i32>(firstControlByte(scratch, put("1.0.0\u009b", scratch))).toBe(5);
    expect<i32>(firstControlByte(scratch, put("2.0.5-stable ü", scratch))).toBe(-1);
  });
});
