// The server's answer to a fetch, checked against what was asked: the status, the byte
// the body starts at, and the resource's length against the config and the slot.
import { fetch_cancel } from "../host";
import { active, fileSize, fileSizeKnown } from "../manifest/update_request";
import { messageClear, say, sayNumber } from "../message";
import {
  fileIndex, fileReceived, fileSetReceived, fileSetTotal, fileStart, fileTotal, sayFile,
} from "./current_file";
import { Next } from "./events";
import { FlashStep, downloadFailed, storageFailure } from "./failure";
import { imageRewind, inactiveSlotName, slotCapacity } from "./image_store";
import { progressRestart } from "./progress";
import { reportStatus } from "./report";
import { noteActivity, startFetch, transferFailed } from "./retry";
import { Status } from "./status";

/** on_response's range start for a 206 whose Content-Range the host could not read (docs/abi.md). */
const RANGE_START_UNKNOWN: u32 = 0xffffffff;

/** Fetching, Response(httpStatus, rangeStart, total): total is the whole resource's length, 0 unknown. */
export function acceptResponse(httpStatus: u32, rangeStart: u32, total: u32): Next {
  noteActivity();
  const status = <i32>httpStatus;
  if (status != 200 && status != 206) {
    messageClear();
    say("HTTP ");
    sayNumber(<u64>abs(status));
    say(" for ");
    sayFile();
    return transferFailed();
  }
  const sizeKnown = fileSizeKnown(active, fileIndex());
  if (status == 206) {
    // Bytes whose place in the file is not the one asked for are never written.
    if (rangeStart == RANGE_START_UNKNOWN) {
      messageClear();
      say("HTTP 206 for ");
      sayFile();
      say(" has no usable Content-Range: cannot tell where its bytes belong");
      return transferFailed();
    }
    if (rangeStart != fileReceived()) {
      messageClear();
      say("server answered with bytes from ");
      sayNumber(rangeStart);
      say(" when asked for ");
      sayNumber(fileReceived());
      return transferFailed();
    }
    if (fileReceived() != 0 && fileTotal() != 0 && total != 0 && total != fileTotal() && !sizeKnown) return restartChangedFile(total);
  } else if (fileReceived() != 0) {
    // A 200 is the whole file (the server ignored Range): this file starts again from its first byte.
    const rewound = imageRewind(fileStart());
    if (rewound != 0) return storageFailure(FlashStep.RewindingSlot, rewound);
    fileSetReceived(0);
    progressRestart();
  }
  if (total != 0) {
    if (sizeKnown && total != fileSize(active, fileIndex())) {
      messageClear();
      say("server reports ");
      sayNumber(total);
      say(" bytes for ");
      sayFile();
      say("; the config says ");
      sayNumber(fileSize(active, fileIndex()));
      return downloadFailed();
    }
    fileSetTotal(total);
  }
  if (fileTotal() != 0 && <u64>fileStart() + fileTotal() > <u64>slotCapacity()) {
    messageClear();
    sayFile();
    say(" of ");
    sayNumber(fileTotal());
    say(" bytes does not fit slot ");
    say(inactiveSlotName());
    say(" (");
    sayNumber(slotCapacity() - fileStart());
    say(" bytes left)");
    return downloadFailed();
  }
  return Next.Move;
}

/**
 * The file changed size on the server since the last attempt (a correct 206 with another
 * total): what the slot holds is of the old file, so it is asked for again from byte 0.
 * Not a failed attempt; the answer to the new request is a 200, so this cannot repeat
 * without a failure in between.
 */
function restartChangedFile(total: u32): Next {
  fetch_cancel();
  messageClear();
  sayFile();
  say(" is now ");
  sayNumber(total);
  say(" bytes on the server, not ");
  sayNumber(fileTotal());
  say(": starting it again from byte 0");
  reportStatus(active, Status.DownloadStep);
  const rewound = imageRewind(fileStart());
  if (rewound != 0) return storageFailure(FlashStep.RewindingSlot, rewound);
  fileSetReceived(0);
  fileSetTotal(0);
  progressRestart();
  startFetch(0);
  return Next.Stay; // still Fetching: the new request's answer comes next
}

/** Fetching, DataEnd: the transfer ended before any response. */
export function transferEndedEarly(_ok: u32, _b: u32, _c: u32): Next {
  messageClear();
  say("transfer of ");
  sayFile();
  say(" failed before the server answered");
  return transferFailed();
}
