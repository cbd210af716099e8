// How the demo shows several devices updating at once: a progress bar per device on a
// terminal (cli-progress), or plain timestamped lines when the output is a file or a pipe.
import cliProgress from "cli-progress";

export interface DeviceProgress {
  /** Download progress of the current file, 0-100. */
  percent: number;
  /** The agent's last status (INIT, DOWNLOAD_STEP, …). */
  stage: string;
  /** Its message. */
  detail: string;
}

const DETAIL_WIDTH = 60;

export interface ProgressView {
  add(device: string, label: string): void;
  update(device: string, progress: DeviceProgress): void;
  /** A one-off event worth a line of its own (a power cut, a retry). */
  note(device: string, text: string): void;
  stop(): void;
}

export function progressView(stream: NodeJS.WriteStream = process.stdout): ProgressView {
  return stream.isTTY ? new BarsView(stream) : new LinesView(stream);
}

class BarsView implements ProgressView {
  private readonly bars = new Map<string, { bar: cliProgress.SingleBar; label: string }>();
  private readonly multibar: cliProgress.MultiBar;
  private stopped = false;

  constructor(stream: NodeJS.WriteStream) {
    this.multibar = new cliProgress.MultiBar(
      { stream, format: " {label} {bar} {percentage}%  {status}", barsize: 20, hideCursor: true, clearOnComplete: false, autopadding: true },
      cliProgress.Presets.shades_classic,
    );
  }

  add(device: string, label: string): void {
    this.bars.set(device, { bar: this.multibar.create(100, 0, { label, status: "starting" }), label });
    // Labels padded to the longest so the bars line up.
    const width = Math.max(...[...this.bars.values()].map((b) => b.label.length));
    for (const { bar, label } of this.bars.values()) bar.update({ label: label.padEnd(width) });
  }

  update(device: string, progress: DeviceProgress): void {
    const status = `${progress.stage} ${progress.detail}`;
    this.bars.get(device)?.bar.update(progress.percent, { status: status.length > DETAIL_WIDTH ? `${status.slice(0, DETAIL_WIDTH - 1)}…` : status });
  }

  note(device: string, text: string): void {
    this.multibar.log(`${device}: ${text}\n`);
  }

  /** Idempotent: a second stop would move the cursor up over what was printed since. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.multibar.stop();
  }
}

/** A line per new stage, and per quarter of a download. */
class LinesView implements ProgressView {
  private readonly started = Date.now();
  private readonly last = new Map<string, { stage: string; quarter: number }>();
  private readonly labels = new Map<string, string>();
  private labelWidth = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  add(device: string, label: string): void {
    this.labels.set(device, label);
    this.labelWidth = Math.max(this.labelWidth, label.length);
  }

  update(device: string, progress: DeviceProgress): void {
    const last = this.last.get(device);
    const quarter = Math.floor(progress.percent / 25);
    if (last && last.stage === progress.stage && (progress.stage !== "DOWNLOAD_STEP" || quarter <= last.quarter)) return;
    this.last.set(device, { stage: progress.stage, quarter });
    this.line(device, `${progress.stage} ${progress.detail}`.trimEnd());
  }

  note(device: string, text: string): void {
    this.line(device, text);
  }

  stop(): void {}

  private line(device: string, text: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(5);
    this.stream.write(`${seconds}s  ${(this.labels.get(device) ?? device).padEnd(this.labelWidth)} ${text}\n`);
  }
}
