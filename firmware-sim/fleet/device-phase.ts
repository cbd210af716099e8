// Where one device of the fleet stands, read from the status documents its agent reports
// (otau_in form on both clouds): the phase the live summary counts, retries, and why an
// attempt at the update ended in an error.
import { FROM_VERSION, TO_VERSION, type Phase } from "./plan.ts";

const DOWNLOADING = new Set(["TEST_STEP", "TEST_SUCCESS", "DOWNLOAD_STEP"]);
const INSTALLING = new Set(["DOWNLOAD_SUCCESS", "INSTALL_STEP", "INSTALL_SUCCESS"]);
const FAILED = new Set(["TEST_ERROR", "DOWNLOAD_ERROR", "INSTALL_ERROR", "INSTALL_ABORTED"]);
const RETRY = /^attempt \d+ of \d+ failed/;

export interface StatusEffect {
  phase: Phase;
  retry: boolean;
  /** A final error's cause, numbers left out so that equal causes add up. */
  failure?: string;
}

/** What one status document changes; undefined: not a status this tally knows. */
export function statusEffect(current: Phase, document: string): StatusEffect | undefined {
  let status: { status?: unknown; version?: unknown; message?: unknown };
  try {
    status = JSON.parse(document);
  } catch {
    return undefined;
  }
  const name = String(status.status);
  const message = typeof status.message === "string" ? status.message : "";
  if (name === "INSTALLED_VERSION") {
    if (status.version === TO_VERSION) return { phase: "installed", retry: false };
    // A boot on the factory image: still waiting, unless it is a rollback after a failure.
    return { phase: status.version === FROM_VERSION && current === "booting" ? "waiting" : current, retry: false };
  }
  if (DOWNLOADING.has(name)) return { phase: "downloading", retry: RETRY.test(message) };
  if (INSTALLING.has(name)) return { phase: "installing", retry: false };
  if (FAILED.has(name)) return { phase: "failed", retry: false, failure: `${name} ${cause(message)}` };
  return undefined;
}

/** "gave up after 5 attempts: HTTP 503 at byte 0" → "gave up after # attempts: HTTP # at byte #". */
export function cause(message: string): string {
  return message.replace(/\d+/g, "#").slice(0, 120);
}
