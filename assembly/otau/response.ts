// The server's answer to a fetch, checked against what was asked: the status, the byte
// the body starts at, and the resource's length against the config and the slot.
import { active, fileSize, fileSizeKnown } from "../manifest/update_request";
import { messageClear, say, sayNumber } from "../message";
import {
  fileIndex, fileReceived, fileSetReceived, fileSetTotal, fileStart, fileTotal, sayFile,
} from "./current_file";
import { Next } from "./events";
import { FlashStep, downloadFailed, storageFailure } from "./failure";
import { imageRewind, inactiveSlotName, slotCapacity } from "./image_store";
import { progressRestart } from "./progress";
import { noteActivity, transferFailed } from "./retry";

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
  if (status == 200 || rangeStart != fileReceived() || (fileTotal() != 0 && total != 0 && total != fileTotal() && !sizeKnown)) {
    // The server sent the whole file (ignored Range), another range, or the content
    // changed size since the last attempt: start this file again from its first byte.
    if (status == 206 && rangeStart != 0) {
      messageClear();
      say("server answered with bytes from ");
      sayNumber(rangeStart);
      say(" when asked for ");
      sayNumber(fileReceived());
      return transferFailed();
    }
    if (fileReceived() != 0) {
      const rewound = imageRewind(fileStart());
      if (rewound != 0) return storageFailure(FlashStep.RewindingSlot, rewound);
      fileSetReceived(0);
      progressRestart();
    }
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

/** Fetching, DataEnd: the transfer ended before any response. */
export function transferEndedEarly(_ok: u32, _b: u32, _c: u32): Next {
  messageClear();
  say("transfer of ");
  sayFile();
  say(" failed before the server answered");
  return transferFailed();
}
