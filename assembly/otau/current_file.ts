// The file of the update being downloaded: which one, where it starts in the slot, how
// much of it has arrived and how long it is. The download handlers (download.ts,
// response.ts, receive.ts, retry.ts, progress.ts) share it.
import { active, fileCount } from "../manifest/update_request";
import { say, sayNumber } from "../message";

let index: i32 = 0;
/** Where the file starts in the slot. */
let start: u32 = 0;
/** Bytes of the file received and handed to the slot writer. */
let received: u32 = 0;
/** The file's size as the server (or the config) announced it; 0 = unknown. */
let total: u32 = 0;

export function fileIndex(): i32 { return index; }
export function fileStart(): u32 { return start; }
export function fileReceived(): u32 { return received; }
export function fileTotal(): u32 { return total; }

/** Moves to file `at` of the update, which starts at `startOffset` in the slot. */
export function fileSelect(at: i32, startOffset: u32): void {
  index = at;
  start = startOffset;
}

export function fileSetReceived(bytes: u32): void { received = bytes; }
export function fileSetTotal(bytes: u32): void { total = bytes; }

export function isLastFile(): bool {
  return index + 1 >= fileCount(active);
}

/** "file 2 of 3". */
export function sayFile(): void {
  say("file ");
  sayNumber(index + 1);
  say(" of ");
  sayNumber(fileCount(active));
}
