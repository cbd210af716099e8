import { SystemClock } from "../../../firmware-sim/clock.ts";

/**
 * Wall-clock time moved forward by a settable offset: an emulated cloud on it sees the
 * calendar jump (rollout dates pass, presigned URLs expire) while sockets and the devices
 * keep running in real time. Its timers follow the shifted time; a jump does not fire them
 * early, so after `jump` call the emulator's own re-check (KaaPlatform.reevaluate).
 */
export class OffsetClock extends SystemClock {
  private offsetMs = 0;

  override now(): number {
    return super.now() + this.offsetMs;
  }

  override at(atMs: number, callback: () => void): () => void {
    return super.at(atMs - this.offsetMs, callback);
  }

  jump(ms: number): void {
    this.offsetMs += ms;
  }
}
