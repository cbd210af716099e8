// Finds references to the project's documentation that a reader cannot follow: a `docs/…` path
// whose file does not exist, a `#anchor` or a quoted section name ("Flash") that no heading of
// that file matches, a relative Markdown link to a missing file, and any mention of the
// background notes the project was started from, which are not part of the repository.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** Note names that must not appear: they were never part of the repository. */
export const FORBIDDEN_NAMES = ["PROTOCOLS", "TOOLCHAIN", "CRAFT", "DESIGN"].map((name) => `${name}.md`);

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

// A path into the docs folder (from the root, or climbing with `../`), optionally with an
// `#anchor`, optionally followed by a quoted section name.
const DOCS_REFERENCE = /((?:\.\.?\/)*)docs\/([A-Za-z0-9_./-]+?\.md)(#[A-Za-z0-9_-]+)?(?:[ \t]+"([^"\n]+)")?/g;
// A Markdown link's target: `](target)`.
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

function headingsOf(text: string): string[] {
  return [...text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*$/gm)].map((m) => m[1]);
}

/**
 * Every unfollowable reference in `files`, one line each ("file:line: what"). `read` gives the
 * text of a file by its path from the repository root, or undefined when there is none.
 */
export function brokenReferences(
  files: readonly SourceFile[],
  read: (path: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  const headings = new Map<string, string[] | undefined>();
  const headingsAt = (path: string): string[] | undefined => {
    if (!headings.has(path)) {
      const text = read(path);
      headings.set(path, text === undefined ? undefined : headingsOf(text));
    }
    return headings.get(path);
  };
  const check = (file: SourceFile, at: number, target: string, anchor: string | undefined, section: string | undefined): void => {
    const where = `${file.path}:${file.text.slice(0, at).split("\n").length}`;
    const found = headingsAt(target);
    if (found === undefined) {
      problems.push(`${where}: ${target} does not exist`);
      return;
    }
    if (anchor !== undefined && !found.some((h) => headingAnchor(h) === anchor)) {
      problems.push(`${where}: ${target} has no heading with the anchor #${anchor}`);
    }
    if (section !== undefined && !found.some((h) => h.startsWith(section))) {
      problems.push(`${where}: ${target} has no section "${section}"`);
    }
  };

  for (const file of files) {
    for (const name of FORBIDDEN_NAMES) {
      let at = file.text.indexOf(name);
      while (at >= 0) {
        const line = file.text.slice(0, at).split("\n").length;
        problems.push(`${file.path}:${line}: mentions ${name}, which is not in the repository`);
        at = file.text.indexOf(name, at + name.length);
      }
    }
    for (const m of file.text.matchAll(DOCS_REFERENCE)) {
      const [, up, path, anchor, section] = m;
      // `../` climbs from the citing file's folder; a bare `docs/…` is from the repository root.
      const target = up ? normalize(join(dirname(file.path), up, "docs", path)) : `docs/${path}`;
      check(file, m.index, target, anchor?.slice(1), section);
    }
    if (!file.path.endsWith(".md")) continue;
    for (const m of file.text.matchAll(MARKDOWN_LINK)) {
      const link = m[1];
      if (/^[a-z]+:/i.test(link) || link.startsWith("<")) continue; // a URL, not a file of ours
      const [path, anchor] = link.split("#", 2);
      const target = path === "" ? file.path : normalize(join(dirname(file.path), path));
      if (target.startsWith("..")) {
        problems.push(`${file.path}: link ${link} leaves the repository`);
        continue;
      }
      if (!target.endsWith(".md")) {
        if (read(target) === undefined) problems.push(`${file.path}: link ${link}: ${target} does not exist`);
        continue;
      }
      check(file, m.index, target, anchor, undefined);
    }
  }
  return problems;
}

/** Reads files under `root` for brokenReferences: undefined when missing, "" for a folder. */
export function repositoryReader(root: string): (path: string) => string | undefined {
  return (path) => {
    const full = join(root, path);
    if (relative(root, full).startsWith("..") || !existsSync(full)) return undefined;
    return statSync(full).isDirectory() ? "" : readFileSync(full, "utf8");
  };
}
