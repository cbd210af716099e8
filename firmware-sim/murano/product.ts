import { randomBytes } from 'node:crypto';
import { SystemClock, type Clock } from '../clock.ts';
import {
  encodeOtauInfo,
  decodeOtauInfo,
  parseOtauIn,
  validatePackageInfo,
  OTAU_INFO_TAG,
  PACKAGE_PREFIX,
  type ConfigOtau,
  type OtauInDocument,
  type OtauPackageInfo,
} from './otau-documents.ts';

/** Who may write a resource: the cloud (config_*) or the device (reports). */
export type ResourceWriter = 'cloud' | 'device';

/** The two resources ExoSense OTAU needs (docs/protocols.md "1. Murano"). */
export const OTAU_RESOURCES: Readonly<Record<string, ResourceWriter>> = { config_otau: 'cloud', otau_in: 'device' };

export interface ResourceValue {
  /** The value as text (invalid UTF-8 in `bytes` shows as U+FFFD here). */
  value: string;
  /** The value's bytes exactly as written: what the Device APIs send. */
  bytes: Uint8Array;
  /** Clock time of the write, ms. */
  modifiedAt: number;
  /** Increases with every write to this resource of this device. */
  revision: number;
}

export interface CloudWrite {
  identity: string;
  alias: string;
  value: ResourceValue;
}

/** One otau_in report as received; `document` is absent when the value did not parse. */
export type DeviceTransport = 'HTTP' | 'MQTT';

export interface OtauInEntry {
  at: number;
  raw: string;
  document?: OtauInDocument;
  error?: string;
}

/** A device echoing a cloud write back, which is how Murano devices acknowledge it. */
export interface Acknowledgement {
  alias: string;
  value: string;
  at: number;
  matchesCurrent: boolean;
}

export interface ContentItem {
  id: string;
  body: Uint8Array;
  contentType: string;
  description: string;
  tags: Record<string, string>;
  updatedAt: number;
}

export interface ContentInput {
  body?: Uint8Array;
  contentType?: string;
  description?: string;
  tags?: Record<string, string>;
}

/** A refusal the Device API turns into an HTTP status. */
export class MuranoError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = 'MuranoError';
  }
}

interface DeviceRecord {
  identity: string;
  token?: string;
  resources: Map<string, ResourceValue>;
  /** alias -> revision the device last echoed back. */
  ackedRevision: Map<string, number>;
  acknowledgements: Acknowledgement[];
  otauIn: OtauInEntry[];
  lastTransport?: DeviceTransport;
}

export interface MuranoProductOptions {
  clock?: Clock;
  /** Resource aliases and who writes them; default OTAU_RESOURCES. */
  resources?: Record<string, ResourceWriter>;
}

export interface WaitForStatusOptions {
  /** Only consider history entries from this index on (default 0: the whole history). */
  since?: number;
}

/**
 * The state of one Murano product: devices (identities, tokens, resources), product content
 * with its OTAU packages, and the otau_in history. Transports (HTTP, MQTT) sit on top of it.
 */
export class MuranoProduct {
  readonly clock: Clock;
  private readonly resourceWriters: Record<string, ResourceWriter>;
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly byToken = new Map<string, DeviceRecord>();
  private readonly contentItems = new Map<string, ContentItem>();
  private readonly cloudWriteListeners = new Set<(write: CloudWrite) => void>();
  /** Listeners for one device's writes (long-polls): a write reaches them without a scan of every device's. */
  private readonly deviceCloudWriteListeners = new Map<string, Set<(write: CloudWrite) => void>>();
  private readonly otauInListeners = new Set<(identity: string, entry: OtauInEntry) => void>();

  constructor(options: MuranoProductOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.resourceWriters = { ...(options.resources ?? OTAU_RESOURCES) };
  }

  // --- devices -------------------------------------------------------------------------

  /** Allows `identity` to activate (an entry in the product's device list). */
  addIdentity(identity: string): void {
    if (identity === '') throw new Error('a device identity cannot be empty');
    if (!this.devices.has(identity)) {
      this.devices.set(identity, { identity, resources: new Map(), ackedRevision: new Map(), acknowledgements: [], otauIn: [] });
    }
  }

  /** Activates a device and returns its token (the CIK / MQTT password). */
  activate(identity: string): string {
    const device = this.devices.get(identity);
    if (!device) throw new MuranoError(404, `identity "${identity}" is not allowed to activate in this product`);
    if (device.token !== undefined) throw new MuranoError(409, `identity "${identity}" is already activated`);
    device.token = randomBytes(20).toString('hex');
    this.byToken.set(device.token, device);
    return device.token;
  }

  /** Every identity of the product's device list, in the order they were added. */
  identities(): string[] {
    return [...this.devices.keys()];
  }

  /** Which Device API the device last used (the operator console shows it). */
  noteContact(identity: string, transport: DeviceTransport): void {
    this.device(identity).lastTransport = transport;
  }

  lastTransport(identity: string): DeviceTransport | undefined {
    return this.device(identity).lastTransport;
  }

  identityOfToken(token: string): string | undefined {
    return this.byToken.get(token)?.identity;
  }

  tokenOf(identity: string): string | undefined {
    return this.device(identity).token;
  }

  resourceWriter(alias: string): ResourceWriter | undefined {
    return Object.hasOwn(this.resourceWriters, alias) ? this.resourceWriters[alias] : undefined;
  }

  /**
   * A write from the device. For a cloud-written resource this is the echo that acknowledges
   * the cloud's write; the value is recorded, not stored. otau_in values join the history.
   */
  deviceWrite(identity: string, alias: string, value: string): void {
    const device = this.device(identity);
    const writer = this.resourceWriter(alias);
    if (writer === undefined) throw new MuranoError(400, `unknown resource alias "${alias}"`);
    const now = this.clock.now();
    if (writer === 'cloud') {
      const current = device.resources.get(alias);
      const matchesCurrent = current !== undefined && current.value === value;
      if (matchesCurrent) device.ackedRevision.set(alias, current.revision);
      device.acknowledgements.push({ alias, value, at: now, matchesCurrent });
      return;
    }
    this.store(device, alias, value, now);
    if (alias === 'otau_in') {
      const entry: OtauInEntry = { at: now, raw: value };
      try {
        entry.document = parseOtauIn(value);
      } catch (error) {
        entry.error = (error as Error).message;
      }
      device.otauIn.push(entry);
      for (const listener of this.otauInListeners) listener(identity, entry);
    }
  }

  /** A write from the cloud side (the application); every transport is told. */
  /** A value is text, or bytes kept exactly as given (they need not be UTF-8). */
  cloudWrite(identity: string, alias: string, value: string | Uint8Array): ResourceValue {
    const device = this.device(identity);
    if (this.resourceWriter(alias) === undefined) throw new Error(`unknown resource alias "${alias}"`);
    const stored = this.store(device, alias, value, this.clock.now());
    const write = { identity, alias, value: stored };
    for (const listener of this.cloudWriteListeners) listener(write);
    for (const listener of [...(this.deviceCloudWriteListeners.get(identity) ?? [])]) listener(write);
    return stored;
  }

  read(identity: string, alias: string): ResourceValue | undefined {
    return this.device(identity).resources.get(alias);
  }

  /** True when the device has echoed the current value of a cloud-written resource. */
  isAcknowledged(identity: string, alias: string): boolean {
    const device = this.device(identity);
    const current = device.resources.get(alias);
    return current !== undefined && device.ackedRevision.get(alias) === current.revision;
  }

  acknowledgements(identity: string): readonly Acknowledgement[] {
    return this.device(identity).acknowledgements;
  }

  /** Cloud-written resources of a device that it has not acknowledged yet. */
  pendingCloudWrites(identity: string): CloudWrite[] {
    const device = this.device(identity);
    return [...device.resources.entries()]
      .filter(([alias]) => this.resourceWriter(alias) === 'cloud' && !this.isAcknowledged(identity, alias))
      .map(([alias, value]) => ({ identity, alias, value }));
  }

  /** Calls `listener` with every otau_in value a device writes; returns the unsubscribe. */
  onOtauIn(listener: (identity: string, entry: OtauInEntry) => void): () => void {
    this.otauInListeners.add(listener);
    return () => this.otauInListeners.delete(listener);
  }

  onCloudWrite(listener: (write: CloudWrite) => void): () => void {
    this.cloudWriteListeners.add(listener);
    return () => this.cloudWriteListeners.delete(listener);
  }

  /** Calls `listener` with every cloud write to one device; returns the unsubscribe. */
  onCloudWriteTo(identity: string, listener: (write: CloudWrite) => void): () => void {
    const listeners = this.deviceCloudWriteListeners.get(identity) ?? new Set();
    this.deviceCloudWriteListeners.set(identity, listeners.add(listener));
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.deviceCloudWriteListeners.get(identity) === listeners) this.deviceCloudWriteListeners.delete(identity);
    };
  }

  // --- content and packages ------------------------------------------------------------

  putContent(id: string, input: ContentInput = {}): ContentItem {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`content id "${id}" must use only letters, digits, ".", "_" and "-"`);
    const item: ContentItem = {
      id,
      body: input.body ?? new Uint8Array(0),
      contentType: input.contentType ?? 'application/octet-stream',
      description: input.description ?? '',
      tags: { ...input.tags },
      updatedAt: this.clock.now(),
    };
    this.contentItems.set(id, item);
    return item;
  }

  content(id: string): ContentItem | undefined {
    return this.contentItems.get(id);
  }

  contentIds(): string[] {
    return [...this.contentItems.keys()];
  }

  /** Lists an OTAU package the way the Murano CLI does: empty body, one otau_info tag. */
  publishPackage(id: string, info: OtauPackageInfo): ContentItem {
    if (!id.startsWith(PACKAGE_PREFIX)) throw new Error(`package content id "${id}" must start with "${PACKAGE_PREFIX}"`);
    validatePackageInfo(info);
    return this.putContent(id, { contentType: 'application/json', tags: { [OTAU_INFO_TAG]: encodeOtauInfo(info) } });
  }

  /** Every package_* item whose otau_info tag decodes, as ExoSense would list them. */
  packages(): Array<{ id: string; info: OtauPackageInfo }> {
    const listed: Array<{ id: string; info: OtauPackageInfo }> = [];
    for (const item of this.contentItems.values()) {
      const tag = item.tags[OTAU_INFO_TAG];
      if (!item.id.startsWith(PACKAGE_PREFIX) || tag === undefined) continue;
      listed.push({ id: item.id, info: decodeOtauInfo(tag) });
    }
    return listed;
  }

  /** What a user applying a package does: writes its config_otau to the device. */
  applyPackage(identity: string, packageId: string): ConfigOtau {
    const item = this.contentItems.get(packageId);
    const tag = item?.tags[OTAU_INFO_TAG];
    if (!item || !packageId.startsWith(PACKAGE_PREFIX) || tag === undefined) {
      throw new Error(`no OTAU package "${packageId}" in the product content`);
    }
    const config = decodeOtauInfo(tag).config_otau;
    this.cloudWrite(identity, 'config_otau', JSON.stringify(config));
    return config;
  }

  // --- status history ------------------------------------------------------------------

  statusHistory(identity: string): readonly OtauInEntry[] {
    return this.device(identity).otauIn;
  }

  /**
   * Resolves with the first otau_in document (from `since` on, including ones already
   * received) that satisfies `predicate`; rejects after `timeoutMs` listing what did arrive.
   */
  waitForStatus(
    identity: string,
    predicate: (status: OtauInDocument) => boolean,
    timeoutMs: number,
    options: WaitForStatusOptions = {},
  ): Promise<OtauInDocument> {
    const history = this.device(identity).otauIn;
    const earlier = history.slice(options.since ?? 0).find((e) => e.document && predicate(e.document));
    if (earlier?.document) return Promise.resolve(earlier.document);
    return new Promise((resolve, reject) => {
      const listener = (from: string, entry: OtauInEntry): void => {
        if (from !== identity || !entry.document || !predicate(entry.document)) return;
        done();
        resolve(entry.document);
      };
      const timer = setTimeout(() => {
        done();
        const seen = history.slice(options.since ?? 0).slice(-8).map(describeEntry).join('; ') || 'nothing';
        reject(new Error(`timed out after ${timeoutMs} ms waiting for an otau_in status from "${identity}"; last received: ${seen}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.otauInListeners.delete(listener);
      };
      this.otauInListeners.add(listener);
    });
  }

  private device(identity: string): DeviceRecord {
    const device = this.devices.get(identity);
    if (!device) throw new Error(`no device "${identity}" in this product (call addIdentity first)`);
    return device;
  }

  /**
   * Last-Modified and If-Modified-Since count whole seconds, so a second write within the
   * same second as the one before would look unmodified to a device that long-polls with the
   * first one's Last-Modified. Each write of a resource is therefore stamped at least one
   * second after the previous one (CHOICE: the stamp may run ahead of the clock in a burst).
   */
  private store(device: DeviceRecord, alias: string, written: string | Uint8Array, now: number): ResourceValue {
    const bytes = typeof written === 'string' ? Buffer.from(written, 'utf8') : Uint8Array.from(written);
    const value = typeof written === 'string' ? written : Buffer.from(bytes).toString('utf8');
    const previous = device.resources.get(alias);
    const nextSecond = previous === undefined ? 0 : (Math.floor(previous.modifiedAt / 1000) + 1) * 1000;
    const stored = { value, bytes, modifiedAt: Math.max(now, nextSecond), revision: (previous?.revision ?? 0) + 1 };
    device.resources.set(alias, stored);
    return stored;
  }
}

function describeEntry(entry: OtauInEntry): string {
  return entry.document ? `${entry.document.status} ${entry.document.version}` : `invalid (${entry.error})`;
}
