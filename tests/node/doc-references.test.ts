// Every reference to the project's documentation can be followed from a fresh clone: each
// `docs/…` path names a file of the repository, each #anchor and quoted section ("Flash") a
// heading of it, each relative Markdown link a file, and nothing mentions the background notes
// the project started from. The scan covers every file git tracks or would add.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { type SourceFile, brokenReferences, headingAnchor, repositoryReader } from "./support/doc-references.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TEXT_FILE = /\.(ts|js|mjs|c|h|md|sh|mk|json|wat|ld|txt|py)$|(^|\/)(Makefile|CMakeLists\.txt|run)$/;

function repositoryFiles(): SourceFile[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return [...new Set(listed.split("\n"))]
    .filter((path) => TEXT_FILE.test(path) && path !== "package-lock.json")
    .flatMap((path) => {
      try {
        return [{ path, text: readFileSync(join(ROOT, path), "utf8") }];
      } catch {
        return []; // listed by git but deleted in the working tree
      }
    });
}

describe("references to the documentation", () => {
  it("all resolve in this repository, and none names a file that is not in it", () => {
    const files = repositoryFiles();
    assert.ok(files.length > 200, `only ${files.length} files scanned`);
    assert.deepEqual(brokenReferences(files, repositoryReader(ROOT)), []);
  });

  it("are found broken when the file, the anchor or the section is missing", () => {
    const docs: Record<string, string> = { [["docs", "abi.md"].join("/")]: "# The ABI\n\n## Flash\n\n### Return codes (`boot`)\n" };
    const read = (path: string): string | undefined => docs[path];
    const cite = (text: string): string[] => brokenReferences([{ path: "host/core/example.c", text }], read);
    // The paths are assembled so that this file itself does not cite missing documents.
    const doc = (name: string): string => ["docs", name].join("/");
    assert.deepEqual(cite(`/* ${doc("abi.md")} "Flash" and ${doc("abi.md")}#return-codes-boot */`), []);
    assert.deepEqual(cite(`/* ${doc("missing.md")} */`), [`host/core/example.c:1: ${doc("missing.md")} does not exist`]);
    assert.deepEqual(cite(`\n/* ${doc("abi.md")} "Memory" */`), [`host/core/example.c:2: ${doc("abi.md")} has no section "Memory"`]);
    assert.deepEqual(cite(`${doc("abi.md")}#memory`), [`host/core/example.c:1: ${doc("abi.md")} has no heading with the anchor #memory`]);
    assert.deepEqual(cite(`// ../../${doc("abi.md")}`), [], "two levels up from host/core is the root");
    assert.deepEqual(cite(`// ../${doc("abi.md")}`), ["host/core/example.c:1: host/docs/abi.md does not exist"]);
    assert.equal(cite(`see ${["TOOLCHAIN", "md"].join(".")}`).length, 1);
  });

  it("checks relative Markdown links from the file that holds them", () => {
    const inDocs = (name: string): string => ["docs", name].join("/");
    const docs: Record<string, string> = { [inDocs("abi.md")]: "# The ABI\n", "README.md": "# Project\n", "host": "" };
    const read = (path: string): string | undefined => docs[path];
    const page = (text: string): string[] => brokenReferences([{ path: inDocs("guide.md"), text }], read);
    assert.deepEqual(page("[ABI](abi.md) [home](../README.md) [host](../host) [web](https://example.com/x.md)"), []);
    assert.deepEqual(page("[lost](boot.md)"), [`${inDocs("guide.md")}:1: ${inDocs("boot.md")} does not exist`]);
    assert.deepEqual(page("[out](../../elsewhere.md)"), [`${inDocs("guide.md")}: link ../../elsewhere.md leaves the repository`]);
  });

  it("makes anchors as GitHub does", () => {
    assert.equal(headingAnchor("Return codes (`boot`)"), "return-codes-boot");
    assert.equal(headingAnchor("1. Murano and ExoSense OTAU"), "1-murano-and-exosense-otau");
  });
});
