// Another slot's build refused at its header, on a device without keys (signed_image.ts does
// it with the whole header check on a device with keys). Here an image need not be an MCUboot
// image at all; one that is, and says where it runs (IMAGE_F_ROM_FIXED), must run from the
// slot it is written to (slot_address.ts). The check is made once the first 32 bytes are in,
// before the rest is downloaded.
import { IMAGE_MAGIC, imageHeaderFeed, imageHeaderLoad, imageHeaderReset, imageMagic, imageRomFixed, imageRunAddressCheck } from "../image/mcuboot";
import { ImageProblem, noteProblemSlot, sayImageProblem } from "../image/problem";
import { messageClear, say } from "../message";
import { inactiveSlotName } from "./image_store";
import { SignedStep } from "./signed_image";
import { sayRunAddress, slotRunAddress } from "./slot_address";

let headerChecked = false;

/** A file starts from its first byte (a new download, or a rewind after a bad transfer). */
export function runAddressRestart(): void {
  imageHeaderReset();
  headerChecked = false;
}

/**
 * A chunk of the image's first file at `fileOffset` is about to be written to `slot`. Once
 * 32 bytes are in (from this chunk or, after a reset, from flash), an MCUboot image flagged
 * IMAGE_F_ROM_FIXED is checked once against the slot's address; any other image goes on.
 */
export function runAddressChunk(ptr: usize, len: u32, fileOffset: u32, slot: i32): SignedStep {
  if (headerChecked) return SignedStep.Continue;
  const complete = fileOffset >= 32 ? imageHeaderLoad(slot) : imageHeaderFeed(ptr, len, fileOffset);
  if (!complete) return SignedStep.Continue;
  headerChecked = true;
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
