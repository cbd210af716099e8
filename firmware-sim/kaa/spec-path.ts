/**
 * Where OTAO puts the download link inside a specification: a dotted path such as `link`,
 * `$.link` or `ota.image.url` (a leading `$.` is accepted and ignored).
 */
export function parseSpecPath(path: string): string[] {
  const segments = path.replace(/^\$\./, '').split('.');
  if (segments.some((s) => s === '' || s === '$')) {
    throw new Error(`link path "${path}" must be dotted field names, e.g. "link" or "$.ota.link"`);
  }
  return segments;
}

/** A copy of `spec` with `value` set at `segments`, creating objects on the way. */
export function withValueAt(spec: Record<string, unknown>, segments: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(spec);
  let node: Record<string, unknown> = copy;
  segments.slice(0, -1).forEach((segment, i) => {
    const next = node[segment];
    if (next === undefined) node[segment] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new Error(`cannot add the link at "${segments.join('.')}": "${segments.slice(0, i + 1).join('.')}" is not an object`);
    }
    node = node[segment] as Record<string, unknown>;
  });
  node[segments[segments.length - 1]] = value;
  return copy;
}
