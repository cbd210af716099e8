// A strict NOR flash for one device, in the manner of MCUboot's simflash: areas with their
// own size, erase sector, write alignment and erased value; erase only whole sectors;
// program only aligned units, and (strict model) only onto erased bytes. Every write and
// erase is counted (reads on request) so a test can cut the power at any one of them:
// before it, after it, or torn half way. The cut throws PowerLoss out of the flash import,
// which unwinds the agent; the device runner then discards the instance and reboots.
// It implements the agent's flash imports (docs/abi.md "Flash") over the agent's memory.
import { FlashCode } from "../agent/abi.ts";

export type ErasedValue = 0xff | 0x00;

export interface AreaGeometry {
  size: number;
  /** Erase unit in bytes. */
  sectorSize: number;
  /** Program unit in bytes: offsets and lengths of writes are multiples of it. */
  writeAlign: number;
  erasedValue: ErasedValue;
}

/**
 * How programming treats bytes that are not erased:
 * - "strict": refused (NotErased), like MCUboot's simflash;
 * - "and": NOR physics, bits only move away from the erased value
 *   (cell = old & new when 0xFF is erased, old | new when 0x00 is).
 */
export type ProgramModel = "strict" | "and";

export type OperationKind = "read" | "write" | "erase";

/** before: the operation does not happen; after: it completes; torn: part of it happens. */
export type CutKind = "before" | "after" | "torn";

export interface PowerCut {
  /** Index of the counted operation to cut at (see NorFlash.operations). */
  at: number;
  kind: CutKind;
  /** Torn write: bytes fully programmed, from the start (default: half, rounded down). */
  tornBytes?: number;
  /** Torn write: the first byte after them gets a random part of its bits programmed. */
  tornBits?: boolean;
  /** Torn erase: bytes erased, from the start (default: half, rounded down). */
  tornErasedBytes?: number;
  /** Torn erase: the bytes not erased hold garbage instead of their old values. */
  garbage?: boolean;
  /** Seed of the random bits and garbage (default 1): a cut is reproducible. */
  seed?: number;
}

export interface FlashOperation {
  index: number;
  kind: OperationKind;
  area: number;
  offset: number;
  length: number;
}

/** The ABI's flash return codes. */
export { FlashCode };

/** Power was cut during flash operation `operation.index`. */
export class PowerLoss extends Error {
  constructor(readonly operation: FlashOperation, readonly kind: CutKind) {
    super(`power lost ${kind} flash ${operation.kind} #${operation.index} (area ${operation.area}, offset ${operation.offset}, ${operation.length} bytes)`);
    this.name = "PowerLoss";
  }
}

/** The flash was used against its rules (raised when `violations` is "throw"). */
export class FlashViolation extends Error {
  constructor(readonly code: FlashCode, message: string) {
    super(message);
    this.name = "FlashViolation";
  }
}

export interface NorFlashOptions {
  /** Indexed by area number: 0 boot record, 1 slot A, 2 slot B. */
  areas: AreaGeometry[];
  program?: ProgramModel;
  /** Count reads as operations (so power can be cut at them too). Default false. */
  countReads?: boolean;
  /** Misuse (misaligned, out of range, not erased): throw FlashViolation (default) or return the code. */
  violations?: "throw" | "return";
  /** Keep a list of every counted operation in `trace`. Default false. */
  trace?: boolean;
}

export interface FlashSnapshot {
  readonly cells: Uint8Array[];
  readonly wear: Uint32Array[];
}

/** The four flash imports of the agent, as firmware-sim's device runner links them. */
export interface FlashImports {
  flash_info(area: number, out: number): number;
  flash_read(area: number, offset: number, ptr: number, len: number): number;
  flash_write(area: number, offset: number, ptr: number, len: number): number;
  flash_erase(area: number, offset: number, len: number): number;
}

export class NorFlash {
  readonly areas: readonly AreaGeometry[];
  readonly program: ProgramModel;
  readonly countReads: boolean;
  readonly violations: "throw" | "return";
  /** Every counted operation, when the `trace` option is set. */
  readonly trace: FlashOperation[] = [];
  /** Counted operations so far: the index the next one gets. */
  operations = 0;
  readonly counts = { reads: 0, writes: 0, erases: 0 };
  private readonly cells: Uint8Array[];
  private readonly wearCounts: Uint32Array[];
  private readonly tracing: boolean;
  private cut: PowerCut | undefined;
  private failure: { at: number; code: number } | undefined;

  constructor(options: NorFlashOptions) {
    options.areas.forEach((geometry, area) => checkGeometry(area, geometry));
    this.areas = options.areas.map((geometry) => ({ ...geometry }));
    this.program = options.program ?? "strict";
    this.countReads = options.countReads ?? false;
    this.violations = options.violations ?? "throw";
    this.tracing = options.trace ?? false;
    this.cells = this.areas.map((geometry) => new Uint8Array(geometry.size).fill(geometry.erasedValue));
    this.wearCounts = this.areas.map((geometry) => new Uint32Array(geometry.size / geometry.sectorSize));
  }

  /** The live bytes of an area (tests may read and poke them). */
  bytes(area: number): Uint8Array {
    return this.cells[this.areaIndex(area)];
  }

  /** Erase count of each sector of an area. */
  wear(area: number): Uint32Array {
    return this.wearCounts[this.areaIndex(area)];
  }

  /** Cuts the power at counted operation `cut.at` (one cut armed at a time). */
  cutAt(cut: PowerCut): void {
    if (!Number.isInteger(cut.at) || cut.at < this.operations) {
      throw new RangeError(`power cut at operation ${cut.at}: the next operation is ${this.operations}`);
    }
    this.cut = { ...cut };
  }

  clearCut(): void {
    this.cut = undefined;
  }

  /** Counted operation `at` fails with `code` (default DeviceError) and changes nothing. */
  failAt(at: number, code: number = FlashCode.DeviceError): void {
    this.failure = { at, code };
  }

  clearFailure(): void {
    this.failure = undefined;
  }

  snapshot(): FlashSnapshot {
    return { cells: this.cells.map((c) => c.slice()), wear: this.wearCounts.map((w) => w.slice()) };
  }

  restore(snapshot: FlashSnapshot): void {
    snapshot.cells.forEach((c, area) => this.cells[area].set(c));
    snapshot.wear.forEach((w, area) => this.wearCounts[area].set(w));
  }

  /** All areas back to back, in area order (the layout `imageLayout` describes). */
  image(): Uint8Array {
    const out = new Uint8Array(this.cells.reduce((sum, c) => sum + c.length, 0));
    let at = 0;
    for (const c of this.cells) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** Each area's offset in `image()` with its geometry. */
  imageLayout(): Array<AreaGeometry & { offset: number }> {
    let offset = 0;
    return this.areas.map((geometry) => {
      const entry = { offset, ...geometry };
      offset += geometry.size;
      return entry;
    });
  }

  /** Loads areas from an image laid out as `image()` writes it. */
  loadImage(image: Uint8Array): void {
    const total = this.cells.reduce((sum, c) => sum + c.length, 0);
    if (image.length !== total) throw new RangeError(`flash image has ${image.length} bytes, the areas ${total}`);
    let at = 0;
    for (const c of this.cells) {
      c.set(image.subarray(at, at + c.length));
      at += c.length;
    }
  }

  read(area: number, offset: number, length: number, into: Uint8Array): number {
    const refused = this.checkRange(area, offset, length);
    if (refused !== FlashCode.Ok) return refused;
    if (!this.countReads) {
      into.set(this.cells[area].subarray(offset, offset + length));
      return FlashCode.Ok;
    }
    return this.perform({ kind: "read", area, offset, length }, () => {
      into.set(this.cells[area].subarray(offset, offset + length));
    }, () => undefined);
  }

  write(area: number, offset: number, data: Uint8Array): number {
    const length = data.length;
    const refused = this.checkRange(area, offset, length);
    if (refused !== FlashCode.Ok) return refused;
    const geometry = this.areas[area];
    if (offset % geometry.writeAlign !== 0 || length % geometry.writeAlign !== 0) {
      return this.violate(FlashCode.Misaligned, `write of ${length} bytes at ${offset} in area ${area} is not aligned to ${geometry.writeAlign}`);
    }
    if (this.program === "strict") {
      const cells = this.cells[area];
      for (let i = 0; i < length; i++) {
        if (cells[offset + i] !== geometry.erasedValue) {
          return this.violate(FlashCode.NotErased, `write at ${offset} in area ${area}: byte ${offset + i} is not erased`);
        }
      }
    }
    return this.perform({ kind: "write", area, offset, length }, () => {
      // Strict: every byte is erased (checked above), so programming it leaves exactly `data`.
      if (this.program === "strict") this.cells[area].set(data, offset);
      else for (let i = 0; i < length; i++) this.programByte(area, offset + i, data[i]);
    }, (cut, random) => {
      const whole = Math.min(length, cut.tornBytes ?? Math.floor(length / 2));
      for (let i = 0; i < whole; i++) this.programByte(area, offset + i, data[i]);
      if (cut.tornBits && whole < length) {
        // Only some of the bits that should move away from the erased value did.
        const erased = geometry.erasedValue;
        const moving = (data[whole] ^ erased) & random() & 0xff;
        this.programByte(area, offset + whole, erased ^ moving);
      }
    });
  }

  erase(area: number, offset: number, length: number): number {
    const refused = this.checkRange(area, offset, length);
    if (refused !== FlashCode.Ok) return refused;
    const geometry = this.areas[area];
    if (offset % geometry.sectorSize !== 0 || length % geometry.sectorSize !== 0) {
      return this.violate(FlashCode.Misaligned, `erase of ${length} bytes at ${offset} in area ${area} is not whole sectors of ${geometry.sectorSize}`);
    }
    const cells = this.cells[area];
    const wear = (): void => {
      for (let s = offset / geometry.sectorSize; s < (offset + length) / geometry.sectorSize; s++) this.wearCounts[area][s]++;
    };
    return this.perform({ kind: "erase", area, offset, length }, () => {
      cells.fill(geometry.erasedValue, offset, offset + length);
      wear();
    }, (cut, random) => {
      const erasedBytes = Math.min(length, cut.tornErasedBytes ?? Math.floor(length / 2));
      cells.fill(geometry.erasedValue, offset, offset + erasedBytes);
      if (cut.garbage) {
        for (let i = offset + erasedBytes; i < offset + length; i++) cells[i] = random() & 0xff;
      }
      wear();
    });
  }

  /** The agent's flash imports over its memory (fetched per call: memory can be replaced). */
  imports(memory: () => WebAssembly.Memory): FlashImports {
    const guest = (ptr: number, len: number): Uint8Array => {
      const buffer = memory().buffer;
      if (ptr < 0 || len < 0 || ptr + len > buffer.byteLength) {
        throw new RangeError(`agent pointer ${ptr}+${len} lies outside its ${buffer.byteLength}-byte memory`);
      }
      return new Uint8Array(buffer, ptr, len);
    };
    return {
      flash_info: (area, out) => {
        if (!this.hasArea(area)) return FlashCode.NoSuchArea;
        const geometry = this.areas[area];
        const at = guest(out, 16);
        const view = new DataView(at.buffer, at.byteOffset, 16);
        view.setUint32(0, geometry.size, true);
        view.setUint32(4, geometry.sectorSize, true);
        view.setUint32(8, geometry.writeAlign, true);
        view.setUint32(12, geometry.erasedValue, true);
        return FlashCode.Ok;
      },
      flash_read: (area, offset, ptr, len) => this.read(area, offset >>> 0, len >>> 0, guest(ptr, len >>> 0)),
      // A view, not a copy: write() is done with the bytes before it returns.
      flash_write: (area, offset, ptr, len) => this.write(area, offset >>> 0, guest(ptr, len >>> 0)),
      flash_erase: (area, offset, len) => this.erase(area, offset >>> 0, len >>> 0),
    };
  }

  private perform(
    operation: Omit<FlashOperation, "index">,
    complete: () => void,
    tear: (cut: PowerCut, random: () => number) => void,
  ): number {
    const counted: FlashOperation = { index: this.operations++, ...operation };
    this.counts[`${operation.kind}s` as "reads" | "writes" | "erases"]++;
    if (this.tracing) this.trace.push(counted);
    if (this.failure && this.failure.at === counted.index) {
      const { code } = this.failure;
      this.failure = undefined;
      return code;
    }
    const cut = this.cut;
    if (!cut || cut.at !== counted.index) {
      complete();
      return FlashCode.Ok;
    }
    this.cut = undefined;
    if (cut.kind === "after") complete();
    if (cut.kind === "torn") tear(cut, seededRandom(cut.seed ?? 1));
    throw new PowerLoss(counted, cut.kind);
  }

  private programByte(area: number, at: number, value: number): void {
    const cells = this.cells[area];
    cells[at] = this.areas[area].erasedValue === 0xff ? cells[at] & value : cells[at] | value;
  }

  private hasArea(area: number): boolean {
    return Number.isInteger(area) && area >= 0 && area < this.areas.length;
  }

  private areaIndex(area: number): number {
    if (!this.hasArea(area)) throw new RangeError(`no flash area ${area}`);
    return area;
  }

  private checkRange(area: number, offset: number, length: number): number {
    if (!this.hasArea(area)) return this.violate(FlashCode.NoSuchArea, `no flash area ${area}`);
    if (offset + length > this.areas[area].size) {
      return this.violate(FlashCode.OutOfRange, `${length} bytes at ${offset} run past the end of area ${area} (${this.areas[area].size} bytes)`);
    }
    return FlashCode.Ok;
  }

  private violate(code: FlashCode, message: string): number {
    if (this.violations === "throw") throw new FlashViolation(code, message);
    return code;
  }
}

function checkGeometry(area: number, g: AreaGeometry): void {
  const fail = (what: string): never => {
    throw new RangeError(`flash area ${area}: ${what}`);
  };
  if (!Number.isInteger(g.writeAlign) || g.writeAlign < 1 || (g.writeAlign & (g.writeAlign - 1)) !== 0) {
    fail(`write alignment ${g.writeAlign} is not a power of two`);
  }
  if (!Number.isInteger(g.sectorSize) || g.sectorSize < 1 || g.sectorSize % g.writeAlign !== 0) {
    fail(`sector size ${g.sectorSize} is not a positive multiple of the write alignment ${g.writeAlign}`);
  }
  if (!Number.isInteger(g.size) || g.size < 1 || g.size % g.sectorSize !== 0) {
    fail(`size ${g.size} is not a positive multiple of the sector size ${g.sectorSize}`);
  }
  if (g.erasedValue !== 0xff && g.erasedValue !== 0x00) fail(`erased value ${g.erasedValue} is neither 0xFF nor 0x00`);
}

/** mulberry32: small, seeded, good enough to pick bits and garbage reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
