// Writes build/as-pect.asconfig.json: tests/as-pect.asconfig.json with its relative transform
// paths made absolute. asc 0.27 joins a config's relative transform path to the config's folder
// and then resolves the result as a package name ("scripts/…"), which fails; an absolute path
// loads. The specs so compile with the same transforms as the agent's builds.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'tests', 'as-pect.asconfig.json');
const config = JSON.parse(readFileSync(source, 'utf8'));
for (const target of Object.values(config.targets ?? {})) {
  if (Array.isArray(target.transform)) {
    target.transform = target.transform.map((path) => (path.startsWith('.') ? resolve(dirname(source), path) : path));
  }
}
// The copy sits in build/, as deep as tests/: its relative entries and `extends` still hold.
mkdirSync(join(root, 'build'), { recursive: true });
writeFileSync(join(root, 'build', 'as-pect.asconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
