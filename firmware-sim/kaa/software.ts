import { isSemver } from './semver.ts';

/** suspended: nobody; general: every endpoint on the upgrade graph; targeted: graph + filters. */
export const ROLLOUT_STRATEGIES = ['suspended', 'general', 'targeted'] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

export interface RolloutFilter {
  filterId: string;
  /** ISO 8601; the filter's endpoints qualify from this instant on. */
  rolloutDate: string;
}

/** A software update of one application, as the OTAO REST API shows it. */
export interface Software {
  version: string;
  /** Versions this update may be installed over (the upgrade graph). Empty: fresh endpoints only. */
  upgradableFrom: string[];
  rolloutStrategy: RolloutStrategy;
  filters: RolloutFilter[];
  /** Overrides the application's consent flag for this version when set. */
  consentRequired?: boolean;
  /** Sent to the endpoint as is (plus the download link); must be a JSON object. */
  specification: Record<string, unknown>;
  metadata: unknown;
}

export class SoftwareValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoftwareValidationError';
  }
}

const FIELDS = new Set(['version', 'upgradableFrom', 'rolloutStrategy', 'filters', 'consentRequired', 'specification', 'metadata']);

/**
 * Checks a Software object from a REST body. `pathVersion`, for updates, is the version named
 * in the URL: the body may omit `version` or repeat it, not change it.
 */
export function parseSoftware(body: unknown, pathVersion?: string): Software {
  const fail = (message: string): never => {
    throw new SoftwareValidationError(message);
  };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('the software must be a JSON object');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) fail(`unknown field "${unknown}"; expected ${[...FIELDS].join(', ')}`);

  const version = input.version ?? pathVersion;
  if (typeof version !== 'string' || !isSemver(version)) fail(`version must be a semantic version string, got ${JSON.stringify(version)}`);
  if (pathVersion !== undefined && version !== pathVersion) fail(`version "${String(version)}" in the body differs from "${pathVersion}" in the path`);

  const upgradableFrom = input.upgradableFrom ?? [];
  if (!Array.isArray(upgradableFrom)) fail('upgradableFrom must be an array of versions');
  (upgradableFrom as unknown[]).forEach((from, i) => {
    if (typeof from !== 'string' || !isSemver(from)) fail(`upgradableFrom[${i}] must be a semantic version string, got ${JSON.stringify(from)}`);
  });

  const rolloutStrategy = input.rolloutStrategy;
  if (!(ROLLOUT_STRATEGIES as readonly unknown[]).includes(rolloutStrategy)) {
    fail(`rolloutStrategy must be one of ${ROLLOUT_STRATEGIES.join(', ')}, got ${JSON.stringify(rolloutStrategy)}`);
  }

  const filtersInput = input.filters ?? [];
  if (!Array.isArray(filtersInput)) fail('filters must be an array of {filterId, rolloutDate}');
  const filters = (filtersInput as unknown[]).map((filter, i): RolloutFilter => {
    const f = filter as Record<string, unknown> | null;
    if (typeof f !== 'object' || f === null) return fail(`filters[${i}] must be an object`);
    if (typeof f.filterId !== 'string' || f.filterId === '') fail(`filters[${i}].filterId must be a non-empty string`);
    if (typeof f.rolloutDate !== 'string' || Number.isNaN(Date.parse(f.rolloutDate))) {
      fail(`filters[${i}].rolloutDate must be an ISO 8601 date, got ${JSON.stringify(f.rolloutDate)}`);
    }
    return { filterId: f.filterId as string, rolloutDate: f.rolloutDate as string };
  });
  if (rolloutStrategy === 'targeted' && filters.length === 0) fail('a targeted rollout needs at least one filter');

  if (input.consentRequired !== undefined && typeof input.consentRequired !== 'boolean') fail('consentRequired must be true or false');

  const specification = input.specification;
  if (typeof specification !== 'object' || specification === null || Array.isArray(specification)) {
    fail('specification must be a JSON object (the download link is added into it)');
  }

  const software: Software = {
    version: version as string,
    upgradableFrom: [...(upgradableFrom as string[])],
    rolloutStrategy: rolloutStrategy as RolloutStrategy,
    filters,
    specification: specification as Record<string, unknown>,
    metadata: input.metadata ?? {},
  };
  if (input.consentRequired !== undefined) software.consentRequired = input.consentRequired as boolean;
  return software;
}
