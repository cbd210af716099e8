import { parseFaultSpec, type FaultSpec } from './faults.ts';

/** Any path: rules under this key apply when no rule names the requested path. */
export const ANY_PATH = '*';

interface FaultRule {
  readonly spec: FaultSpec;
  /** Requests left for a `times:N` rule; undefined = every request. */
  remaining?: number;
}

/**
 * Which faults the next request for a path gets. Rules for a path form a queue: a request
 * uses the first one, and a `times:N` rule leaves the queue after N requests, so
 * "none,times:2" followed by "close@100" means "two clean downloads, then drops".
 */
export class FaultBook {
  private readonly rules = new Map<string, FaultRule[]>();

  /** Queues a rule for `path` (or ANY_PATH). Accepts spec text or a parsed spec. */
  add(path: string, spec: string | FaultSpec): FaultSpec {
    const parsed = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
    const queue = this.rules.get(path) ?? [];
    queue.push({ spec: parsed, remaining: parsed.times });
    this.rules.set(path, queue);
    return parsed;
  }

  /** Uses up one application of the rule that applies to a request for `path`. */
  take(path: string): FaultSpec | undefined {
    const key = this.rules.get(path)?.length ? path : ANY_PATH;
    const queue = this.rules.get(key);
    const rule = queue?.[0];
    if (!queue || !rule) return undefined;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining === 0) queue.shift();
    }
    return rule.spec;
  }

  /** Drops the rules of one path, or every rule. */
  clear(path?: string): void {
    if (path === undefined) this.rules.clear();
    else this.rules.delete(path);
  }

  /** Rules still queued for `path` (not counting ANY_PATH). */
  pending(path: string): readonly FaultSpec[] {
    return (this.rules.get(path) ?? []).map((r) => r.spec);
  }
}
