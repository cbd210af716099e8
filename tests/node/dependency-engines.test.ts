// Every installed package must run on every Node version the project declares (CI runs the
// oldest): a package whose `engines.node` excludes some of them makes npm warn EBADENGINE.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = join(import.meta.dirname, '../..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;

describe('dependency engines', () => {
  it('every package in package-lock.json supports each Node version package.json declares', () => {
    const declared = (readJson('package.json').engines as { node: string }).node;
    const packages = readJson('package-lock.json').packages as Record<string, { engines?: { node?: string } | string[] }>;
    const excluding = Object.entries(packages)
      .filter(([path, entry]) => path !== '' && !Array.isArray(entry.engines) && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.subset(declared, (entry.engines as { node: string }).node))
      .map(([path, entry]) => `${path.replace(/^node_modules\//, '')} wants node ${(entry.engines as { node: string }).node}`);
    assert.deepEqual(excluding, [], `the project declares node ${declared}`);
  });
});
