// Reading the agent's status reports back as traces, so that runs on different hosts (the
// wasm3 host otau-host, the Node device runner) and clouds can be compared entry by entry.
import { readFileSync } from 'node:fs';
import type { OtauInEntry } from '../../../firmware-sim/murano/product.ts';

/** One status report in otau_in form (Murano's otau_in, Kaa's device-log channel). */
export interface StatusReport {
  version: string;
  status: string;
  message: string;
}

/** One line of `otau-host run --trace`: the report channel and the document as sent. */
export interface TraceLine {
  channel: number;
  document: string;
}

/** Report channels (docs/abi.md `report`). */
export const MURANO_OTAU_IN = 0;
export const KAA_APPLIED = 1;
export const KAA_STATUS = 2;

/** The lines of a trace file; a torn last line (the process was killed while writing) is left out. */
export function readHostTrace(path: string): TraceLine[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const complete = lines.slice(0, -1); // the text after the last newline is empty or torn
  return complete.map((line, index) => {
    const parsed = JSON.parse(line) as TraceLine;
    if (typeof parsed.channel !== 'number' || typeof parsed.document !== 'string') {
      throw new Error(`trace line ${index + 1} is not {"channel","document"}: ${line}`);
    }
    return parsed;
  });
}

function asStatus(document: string, where: string): StatusReport {
  const value = JSON.parse(document) as Partial<StatusReport>;
  if (typeof value.version !== 'string' || typeof value.status !== 'string' || typeof value.message !== 'string') {
    throw new Error(`${where} is not an otau_in document: ${document}`);
  }
  return { version: value.version, status: value.status, message: value.message };
}

/** The status reports a trace holds on `channel` (MURANO_OTAU_IN or KAA_STATUS). */
export function traceStatuses(trace: readonly TraceLine[], channel: number): StatusReport[] {
  return trace.filter((line) => line.channel === channel).map((line) => asStatus(line.document, `channel ${channel} report`));
}

/** The documents a trace holds on `channel`, parsed (e.g. Kaa's applied reports). */
export function traceDocuments(trace: readonly TraceLine[], channel: number): unknown[] {
  return trace.filter((line) => line.channel === channel).map((line) => JSON.parse(line.document) as unknown);
}

/** The otau_in history the Murano emulator received from one device. */
export function muranoStatuses(history: readonly OtauInEntry[]): StatusReport[] {
  return history.map((entry, index) => asStatus(entry.raw, `otau_in entry ${index}`));
}

/**
 * The status names with each run of DOWNLOAD_STEP progress reports folded into one: how many
 * progress reports a download gives depends on its size, not on the update's path.
 */
export function statusSequence(reports: readonly StatusReport[]): string[] {
  return reports
    .map((report) => report.status)
    .filter((status, index, all) => status !== 'DOWNLOAD_STEP' || all[index - 1] !== 'DOWNLOAD_STEP');
}

/** The byte counts of "downloading file i of n: p% (r of t bytes)" progress reports, in order. */
export function downloadProgress(reports: readonly StatusReport[]): number[] {
  return reports.flatMap((report) => {
    const match = /\((\d+) of \d+ bytes\)/.exec(report.message);
    return report.status === 'DOWNLOAD_STEP' && match ? [Number(match[1])] : [];
  });
}
