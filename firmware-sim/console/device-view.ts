// One device as the operator console shows it, derived from what its cloud has heard: for a
// Murano device its otau_in history, for a Kaa endpoint its applied reports.
import type { EndpointSnapshot } from "../kaa/platform.ts";
import type { DeviceTransport, OtauInEntry } from "../murano/product.ts";

/** How many reports of a device the console lists (newest last). */
const HISTORY_SHOWN = 100;

export interface HistoryEntry {
  at: number;
  version?: string;
  status: string;
  message: string;
}

export interface DeviceView {
  id: string;
  cloud: "murano" | "kaa";
  transport: string;
  installedVersion?: string;
  lastStatus?: string;
  lastMessage?: string;
  /** The version the last report was about. */
  lastVersion?: string;
  /** 0–100 while a download is reported in progress. */
  progress?: number;
  /** Kaa: the version offered to the endpoint now, and the versions it has consent for. */
  offered?: string;
  consents?: string[];
  history: HistoryEntry[];
}

export function deviceView(id: string, transport: DeviceTransport | undefined, otauIn: readonly OtauInEntry[]): DeviceView {
  const history = otauIn.slice(-HISTORY_SHOWN).map(historyEntry);
  const installed = [...otauIn].reverse().find((e) => e.document?.status === "INSTALLED_VERSION");
  const last = history.at(-1);
  return {
    id,
    cloud: "murano",
    transport: transport ? `Murano ${transport}` : "Murano (not connected yet)",
    installedVersion: installed?.document?.version,
    lastStatus: last?.status,
    lastMessage: last?.message,
    lastVersion: last?.version,
    progress: last ? downloadProgress(last) : undefined,
    history,
  };
}

export function endpointView(endpoint: EndpointSnapshot): DeviceView {
  const history = endpoint.applied.slice(-HISTORY_SHOWN).map((record) => ({
    at: record.at,
    version: record.configId,
    status: record.success ? "applied" : `rejected ${record.statusCode ?? ""}`.trim(),
    message: record.reasonPhrase ?? "",
  }));
  const last = history.at(-1);
  return {
    id: endpoint.endpointId,
    cloud: "kaa",
    transport: endpoint.observing ? "Kaa 1/KP (observing)" : "Kaa 1/KP",
    installedVersion: endpoint.currentVersion,
    lastStatus: last?.status,
    lastMessage: last?.message,
    lastVersion: last?.version,
    offered: endpoint.lastOffered,
    consents: endpoint.consents,
    history,
  };
}

function historyEntry(entry: OtauInEntry): HistoryEntry {
  if (!entry.document) return { at: entry.at, status: "invalid otau_in", message: `${entry.error ?? ""}: ${entry.raw}` };
  return { at: entry.at, version: entry.document.version, status: entry.document.status, message: entry.document.message ?? "" };
}

/** The percentage a DOWNLOAD/DOWNLOAD_STEP report gives ("… 45% (3150 of 7000 bytes)"), if any. */
function downloadProgress(entry: HistoryEntry): number | undefined {
  if (entry.status === "DOWNLOAD") return 0;
  if (entry.status !== "DOWNLOAD_STEP") return undefined;
  const percent = /(\d{1,3})%/.exec(entry.message);
  return percent ? Math.min(100, Number(percent[1])) : undefined;
}
