// Another slot's build refused at its header, on a device without keys (signed_image.ts does
// it with the whole header check on a device with keys). Here an image need not be an MCUboot
// image at all; one that is, and says where it runs (IMAGE_F_ROM_FIXED), must run from the
// slot it is written to (slot_address.ts). The check is made once the first 32 bytes are in
// (header_arrival.ts), before the rest is downloaded.
import { IMAGE_MAGIC, imageMagic, imageRomFixed, imageRunAddressCheck } from "../image/mcuboot";
import { ImageProblem, noteProblemSlot, sayImageProblem } from "../image/problem";
import { messageClear, say } from "../message";
import { headerJustArrived } from "./header_arrival";
import { inactiveSlotName } from "./image_store";
import { SignedStep } from "./signed_image";
import { sayRunAddress, slotRunAddress } from "./slot_address";

/**
 * A chunk of the image's first file at `fileOffset` is about to be written to `slot`. Once
 * its header is in (header_arrival.ts), an MCUboot image flagged IMAGE_F_ROM_FIXED is checked
 * once against the slot's address; any other image goes on.
 */
export function runAddressChunk(ptr: usize, len: u32, fileOffset: u32, slot: i32): SignedStep {
  if (!headerJustArrived(ptr, len, fileOffset, slot)) return SignedStep.Continue;
  if (imageMagic() != IMAGE_MAGIC || !imageRomFixed()) return SignedStep.Continue;
  messageClear();
  noteProblemSlot(inactiveSlotName());
  if (imageRunAddressCheck(slotRunAddress(slot)) != ImageProblem.None) {
    sayImageProblem(0, 0, 0, 0, 0, 0);
    return SignedStep.Refused;
  }
  say("MCUboot image ");
  sayRunAddress(slot);
  return SignedStep.Passed;
}
