// Where each slot's image runs from, on a device whose images run in place (XIP): the host
// says so with the settings SlotAddressA and SlotAddressB (0 = not known). An MCUboot image
// built for one slot (IMAGE_F_ROM_FIXED, its address in load_addr: `imgtool sign --rom-fixed`)
// is checked against them by signed_image.ts (devices with keys) and run_address.ts (without).
import { Area, Setting } from "../abi";
import { imageLoadAddress } from "../image/mcuboot";
import { say, sayHex32 } from "../message";
import { inactiveSlotName } from "./image_store";
import { setting } from "./settings";

/** Where the image in `slot` runs from; 0 = not known. */
export function slotRunAddress(slot: i32): u32 {
  if (slot == Area.SlotA) return setting(Setting.SlotAddressA);
  if (slot == Area.SlotB) return setting(Setting.SlotAddressB);
  return 0;
}

/** For a header that passed: "linked to run from 0x…, where slot B runs", or that nothing could check it. */
export function sayRunAddress(slot: i32): void {
  say("linked to run from ");
  sayHex32(imageLoadAddress());
  if (slotRunAddress(slot) != 0) {
    say(", where slot ");
    say(inactiveSlotName());
    say(" runs");
    return;
  }
  say("; this device does not say where slot ");
  say(inactiveSlotName());
  say(" runs (settings SlotAddressA, SlotAddressB), so only the bootloader checks that");
}
