// DOWNLOAD_STEP while a file arrives: file i of n, percent and bytes, at most every 5 %
// of a file of known size (every 64 KiB otherwise), always with the first and the last.
import { active } from "../manifest/update_request";
import { messageClear, say, sayNumber } from "../message";
import { fileReceived, fileTotal, sayFile } from "./current_file";
import { reportStatus } from "./report";
import { Status } from "./status";

const PROGRESS_BYTES: u32 = 64 * 1024;
const PROGRESS_PERCENT: u32 = 5;

/** The received count at which the next step is reported. */
let nextAt: u32 = 0;

function nextThreshold(): u32 {
  const received = fileReceived();
  const total = fileTotal();
  if (total == 0) return (received / PROGRESS_BYTES + 1) * PROGRESS_BYTES;
  const step = max<u32>(<u32>(<u64>total * PROGRESS_PERCENT / 100), 1);
  return (received / step + 1) * step;
}

/** The file starts again from its first byte: the next chunk is reported. */
export function progressRestart(): void {
  nextAt = 0;
}

/** After a resume the next step comes one step past the byte reached, as if never cut. */
export function progressContinue(): void {
  nextAt = nextThreshold();
}

/** Reports a step when a chunk crossed the next threshold (the last byte is left to reportProgress). */
export function progressAfterChunk(): void {
  const received = fileReceived();
  if (received >= nextAt && received != fileTotal()) reportProgress();
}

export function reportProgress(): void {
  const received = fileReceived();
  const total = fileTotal();
  messageClear();
  say("downloading ");
  sayFile();
  say(": ");
  if (total != 0) {
    sayNumber(<u64>received * 100 / total);
    say("% (");
    sayNumber(received);
    say(" of ");
    sayNumber(total);
    say(" bytes)");
  } else {
    sayNumber(received);
    say(" bytes");
  }
  reportStatus(active, Status.DownloadStep);
  nextAt = nextThreshold();
}
