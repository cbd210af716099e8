import { compareSemver } from './semver.ts';
import type { Software } from './software.ts';

/** What selection needs to know about one endpoint. */
export interface EndpointStanding {
  /** The installed version, or undefined for an endpoint that has none yet. */
  currentVersion: string | undefined;
  filterIds: ReadonlySet<string>;
  hasConsent(version: string): boolean;
}

/** Whether the rollout of `software` reaches this endpoint at `nowMs`. */
export function rolloutReaches(software: Software, filterIds: ReadonlySet<string>, nowMs: number): boolean {
  switch (software.rolloutStrategy) {
    case 'suspended':
      return false;
    case 'general':
      return true;
    case 'targeted':
      return software.filters.some((f) => filterIds.has(f.filterId) && Date.parse(f.rolloutDate) <= nowMs);
  }
}

/** Whether `software` sits on an edge of the upgrade graph leaving `currentVersion`. */
export function upgradesFrom(software: Software, currentVersion: string | undefined): boolean {
  if (currentVersion === undefined) return software.upgradableFrom.length === 0;
  return software.version !== currentVersion && software.upgradableFrom.includes(currentVersion);
}

/**
 * The update to offer: among the software reachable in one step of the upgrade graph, whose
 * rollout reaches the endpoint and whose consent (when required) is granted, the highest
 * version. Undefined when the endpoint is up to date.
 */
export function selectUpdate(
  catalogue: readonly Software[],
  endpoint: EndpointStanding,
  nowMs: number,
  applicationRequiresConsent: boolean,
): Software | undefined {
  const candidates = catalogue.filter(
    (software) =>
      upgradesFrom(software, endpoint.currentVersion) &&
      rolloutReaches(software, endpoint.filterIds, nowMs) &&
      (!(software.consentRequired ?? applicationRequiresConsent) || endpoint.hasConsent(software.version)),
  );
  return candidates.sort((a, b) => compareSemver(b.version, a.version))[0];
}

/** The earliest targeted rollout date still in the future, when selections may change. */
export function nextRolloutDate(catalogue: readonly Software[], nowMs: number): number | undefined {
  let next: number | undefined;
  for (const software of catalogue) {
    if (software.rolloutStrategy !== 'targeted') continue;
    for (const filter of software.filters) {
      const date = Date.parse(filter.rolloutDate);
      if (date > nowMs && (next === undefined || date < next)) next = date;
    }
  }
  return next;
}
