import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SystemClock, type Clock } from '../clock.ts';
import { UrlSigner } from './presigned-url.ts';
import { compareSemver } from './semver.ts';
import { parseSoftware, type Software } from './software.ts';
import { parseSpecPath, withValueAt } from './spec-path.ts';
import { nextRolloutDate, selectUpdate } from './update-selection.ts';

/** A refusal that REST answers as an HTTP status and 1/KP as an error with statusCode. */
export class KaaError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'KaaError';
  }
}

/** `{configId, config}`, or `{}` when the endpoint is up to date. */
export type ConfigReply = { configId: string; config: Record<string, unknown> } | Record<string, never>;

/** A reply pushed to an observing endpoint because a new update became applicable. */
export interface ConfigPush {
  application: string;
  token: string;
  reply: ConfigReply;
}

export interface AppliedRecord {
  at: number;
  configId: string;
  /** False when the endpoint rejected the update (statusCode >= 400). */
  success: boolean;
  statusCode?: number;
  reasonPhrase?: string;
}

export interface StoredFile {
  /** `<tenantId>/<application>/<version>/<fileName>`, as OTAO lays files out in S3. */
  key: string;
  size: number;
  sha256: string;
  bytes: Uint8Array;
}

export interface EndpointRegistration {
  endpointId?: string;
  token?: string;
  filterIds?: Iterable<string>;
}

/** A read-only view of an endpoint for tests and tools. */
export interface EndpointSnapshot {
  endpointId: string;
  token: string;
  filterIds: string[];
  currentVersion?: string;
  observing: boolean;
  lastOffered?: string;
  consents: string[];
  applied: readonly AppliedRecord[];
}

export interface KaaPlatformOptions {
  clock?: Clock;
  /** Where the presigned link goes in the specification (default `link`). */
  linkPath?: string;
  /** Lifetime of presigned download URLs (default 3600 s). */
  presignTtlSeconds?: number;
  signer?: UrlSigner;
}

interface EndpointRecord {
  endpointId: string;
  token: string;
  filterIds: Set<string>;
  currentVersion?: string;
  consents: Set<string>;
  applied: AppliedRecord[];
  observing: boolean;
  lastOffered?: string;
  /** Versions this endpoint reported as failed; they are not pushed to it again. */
  rejected: Set<string>;
}

interface Application {
  name: string;
  tenantId: string;
  consentRequired: boolean;
  software: Map<string, Software>;
  /** version -> key in the file store */
  files: Map<string, string>;
  endpoints: Map<string, EndpointRecord>;
  byToken: Map<string, EndpointRecord>;
}

/**
 * The state of an emulated Kaa OTA Orchestrator across tenants: applications, software,
 * stored files, endpoints with their filters, consents and applied reports, and the rule that
 * picks which update an endpoint gets. Transports (REST, 1/KP) sit on top of it.
 */
export class KaaPlatform {
  readonly clock: Clock;
  readonly signer: UrlSigner;
  private readonly linkPath: string[];
  private readonly presignTtlSeconds: number;
  private readonly tenants = new Map<string, Set<string>>();
  private readonly bearerTokens = new Map<string, string>();
  private readonly applications = new Map<string, Application>();
  private readonly files = new Map<string, StoredFile>();
  private readonly pushListeners = new Set<(push: ConfigPush) => void>();
  private readonly appliedListeners = new Set<() => void>();
  private downloadBaseUrl?: string;
  private cancelRolloutCheck?: () => void;

  constructor(options: KaaPlatformOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.signer = options.signer ?? new UrlSigner();
    this.linkPath = parseSpecPath(options.linkPath ?? 'link');
    this.presignTtlSeconds = options.presignTtlSeconds ?? 3600;
    if (!(this.presignTtlSeconds > 0)) throw new Error(`presignTtlSeconds must be positive, got ${options.presignTtlSeconds}`);
  }

  // --- tenants and applications --------------------------------------------------------

  /** Creates a tenant and returns a bearer token for its REST API (`token`, or a random one). */
  addTenant(tenantId: string, token?: string): string {
    if (tenantId === '' || tenantId.includes('/')) throw new Error(`tenant id "${tenantId}" must be non-empty without "/"`);
    if (this.tenants.has(tenantId)) throw new KaaError(409, `tenant "${tenantId}" already exists`);
    this.tenants.set(tenantId, new Set());
    return this.issueToken(tenantId, token);
  }

  /** Another bearer token for a tenant (each tenant is its own issuer). */
  issueToken(tenantId: string, token = randomBytes(24).toString('base64url')): string {
    if (!this.tenants.has(tenantId)) throw new Error(`no tenant "${tenantId}"`);
    if (token === '' || this.bearerTokens.has(token)) throw new Error('a bearer token must be non-empty and not issued before');
    this.bearerTokens.set(token, tenantId);
    return token;
  }

  tenantOfBearer(token: string): string | undefined {
    return this.bearerTokens.get(token);
  }

  /**
   * Application names are unique across tenants because 1/KP topics name the application
   * (CHOICE: the topic's appVersion level is the application name) but not the tenant.
   */
  createApplication(tenantId: string, name: string, options: { consentRequired?: boolean } = {}): void {
    const apps = this.tenants.get(tenantId);
    if (!apps) throw new Error(`no tenant "${tenantId}"`);
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`application name "${name}" must use only letters, digits, ".", "_" and "-"`);
    if (this.applications.has(name)) throw new KaaError(409, `application "${name}" already exists`);
    this.applications.set(name, {
      name,
      tenantId,
      consentRequired: options.consentRequired ?? false,
      software: new Map(),
      files: new Map(),
      endpoints: new Map(),
      byToken: new Map(),
    });
    apps.add(name);
  }

  consentRequired(tenantId: string, application: string): boolean {
    return this.application(tenantId, application).consentRequired;
  }

  setConsentRequired(tenantId: string, application: string, required: boolean): void {
    this.application(tenantId, application).consentRequired = required;
    this.reevaluate();
  }

  // --- software ------------------------------------------------------------------------

  listSoftware(tenantId: string, application: string): Software[] {
    return [...this.application(tenantId, application).software.values()].sort((a, b) => compareSemver(a.version, b.version));
  }

  createSoftware(tenantId: string, application: string, body: unknown): Software {
    const app = this.application(tenantId, application);
    const software = parseSoftware(body);
    if (app.software.has(software.version)) throw new KaaError(409, `software ${software.version} already exists in "${application}"`);
    app.software.set(software.version, software);
    this.reevaluate();
    return software;
  }

  updateSoftware(tenantId: string, application: string, version: string, body: unknown): Software {
    const app = this.application(tenantId, application);
    this.software(app, version);
    const software = parseSoftware(body, version);
    app.software.set(version, software);
    this.reevaluate();
    return software;
  }

  /** Deletes a version and its stored file. */
  deleteSoftware(tenantId: string, application: string, version: string): void {
    const app = this.application(tenantId, application);
    this.software(app, version);
    app.software.delete(version);
    const key = app.files.get(version);
    if (key !== undefined) this.files.delete(key);
    app.files.delete(version);
    this.reevaluate();
  }

  /** Stores the file of a version under `<tenantId>/<application>/<version>/<fileName>`. */
  uploadFile(tenantId: string, application: string, version: string, bytes: Uint8Array, fileName = 'firmware.bin'): StoredFile {
    const app = this.application(tenantId, application);
    this.software(app, version);
    if (!/^[A-Za-z0-9._-]+$/.test(fileName)) throw new KaaError(400, `file name "${fileName}" must use only letters, digits, ".", "_" and "-"`);
    const previous = app.files.get(version);
    if (previous !== undefined) this.files.delete(previous);
    const file: StoredFile = {
      key: `${tenantId}/${application}/${version}/${fileName}`,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: Uint8Array.from(bytes),
    };
    this.files.set(file.key, file);
    app.files.set(version, file.key);
    return file;
  }

  fileByKey(key: string): StoredFile | undefined {
    return this.files.get(key);
  }

  storedFileKeys(): string[] {
    return [...this.files.keys()];
  }

  // --- endpoints -----------------------------------------------------------------------

  registerEndpoint(tenantId: string, application: string, registration: EndpointRegistration = {}): { endpointId: string; token: string } {
    const app = this.application(tenantId, application);
    const endpointId = registration.endpointId ?? randomUUID();
    const token = registration.token ?? randomBytes(12).toString('base64url');
    if (!/^[A-Za-z0-9._-]+$/.test(token)) throw new Error(`endpoint token "${token}" must use only letters, digits, ".", "_" and "-" (it is a topic level)`);
    if (app.endpoints.has(endpointId)) throw new KaaError(409, `endpoint ${endpointId} is already registered`);
    if (app.byToken.has(token)) throw new KaaError(409, `endpoint token "${token}" is already in use in "${application}"`);
    const endpoint: EndpointRecord = {
      endpointId,
      token,
      filterIds: new Set(registration.filterIds ?? []),
      consents: new Set(),
      applied: [],
      observing: false,
      rejected: new Set(),
    };
    app.endpoints.set(endpointId, endpoint);
    app.byToken.set(token, endpoint);
    return { endpointId, token };
  }

  /** The endpoint filters this endpoint matches (CHOICE: membership is set, not computed). */
  setEndpointFilters(tenantId: string, application: string, endpointId: string, filterIds: Iterable<string>): void {
    this.endpoint(this.application(tenantId, application), endpointId).filterIds = new Set(filterIds);
    this.reevaluate();
  }

  /** What OTAO does on the EPR "endpoint unregistered" event: forgets all its data. */
  unregisterEndpoint(tenantId: string, application: string, endpointId: string): void {
    const app = this.application(tenantId, application);
    const endpoint = this.endpoint(app, endpointId);
    app.endpoints.delete(endpointId);
    app.byToken.delete(endpoint.token);
  }

  grantConsent(tenantId: string, application: string, endpointId: string, version: string): void {
    const app = this.application(tenantId, application);
    this.software(app, version);
    this.endpoint(app, endpointId).consents.add(version);
    this.reevaluate();
  }

  revokeConsent(tenantId: string, application: string, endpointId: string, version: string): void {
    const app = this.application(tenantId, application);
    this.endpoint(app, endpointId).consents.delete(version);
  }

  endpointIds(tenantId: string, application: string): string[] {
    return [...this.application(tenantId, application).endpoints.keys()];
  }

  endpointSnapshot(tenantId: string, application: string, endpointId: string): EndpointSnapshot {
    const e = this.endpoint(this.application(tenantId, application), endpointId);
    return {
      endpointId: e.endpointId,
      token: e.token,
      filterIds: [...e.filterIds],
      currentVersion: e.currentVersion,
      observing: e.observing,
      lastOffered: e.lastOffered,
      consents: [...e.consents],
      applied: [...e.applied],
    };
  }

  /** Resolves with the first applied report (already received or to come) matching `predicate`. */
  waitForApplied(
    tenantId: string,
    application: string,
    endpointId: string,
    predicate: (record: AppliedRecord) => boolean,
    timeoutMs: number,
  ): Promise<AppliedRecord> {
    const endpoint = this.endpoint(this.application(tenantId, application), endpointId);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = endpoint.applied.find(predicate);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        const seen = endpoint.applied.map((r) => `${r.configId} ${r.success ? 'ok' : `${r.statusCode} ${r.reasonPhrase ?? ''}`}`);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for an applied report from endpoint ${endpointId}; received: ${seen.join('; ') || 'nothing'}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.appliedListeners.delete(check);
      };
      this.appliedListeners.add(check);
      check();
    });
  }

  // --- what endpoints ask (1/KP cmx_ota) ------------------------------------------------

  /** Answers a config request; `configId` is the endpoint's installed version, if any. */
  requestConfig(application: string, token: string, request: { configId?: string; observe?: boolean }): ConfigReply {
    const app = this.applicationForEndpoint(application);
    const endpoint = this.endpointByToken(app, token);
    if (request.configId !== undefined) endpoint.currentVersion = request.configId || undefined;
    if (request.observe !== undefined) endpoint.observing = request.observe;
    const target = this.selectFor(app, endpoint);
    endpoint.lastOffered = target?.version;
    return target ? this.replyFor(app, target) : {};
  }

  /** Records what the endpoint reports as applied; success moves its installed version. */
  reportApplied(application: string, token: string, report: { configId: string; statusCode?: number; reasonPhrase?: string }): void {
    const app = this.applicationForEndpoint(application);
    const endpoint = this.endpointByToken(app, token);
    const success = report.statusCode === undefined || report.statusCode < 400;
    const record: AppliedRecord = { at: this.clock.now(), configId: report.configId, success };
    if (report.statusCode !== undefined) record.statusCode = report.statusCode;
    if (report.reasonPhrase !== undefined) record.reasonPhrase = report.reasonPhrase;
    endpoint.applied.push(record);
    if (success) endpoint.currentVersion = report.configId;
    else endpoint.rejected.add(report.configId);
    for (const listener of [...this.appliedListeners]) listener();
    // Only this endpoint's standing changed: visiting every endpoint here made a fleet's
    // reports cost O(N²).
    if (endpoint.observing) this.offerTo(app, endpoint);
  }

  /** Calls `listener` after every applied report; returns the unsubscribe. */
  onApplied(listener: () => void): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  /**
   * What an observing endpoint should be sent when it comes back (subscribes again): the
   * update it is due, if any, whether or not it was offered before the connection dropped.
   */
  pendingFor(application: string, token: string): ConfigReply | undefined {
    const app = this.applications.get(application);
    const endpoint = app?.byToken.get(token);
    if (!app || !endpoint?.observing) return undefined;
    const target = this.selectFor(app, endpoint);
    if (target === undefined || endpoint.rejected.has(target.version)) return undefined;
    endpoint.lastOffered = target.version;
    return this.replyFor(app, target);
  }

  onPush(listener: (push: ConfigPush) => void): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
  }

  /** Base URL of the HTTP server that serves presigned downloads (set by the emulator). */
  setDownloadBaseUrl(url: string | undefined): void {
    this.downloadBaseUrl = url;
  }

  /**
   * Pushes to every observing endpoint whose applicable update changed, and arms the clock
   * for the next rollout date. Runs after every change; call it yourself only if you move a
   * custom clock that does not run its `at` callbacks.
   */
  reevaluate(): void {
    for (const app of this.applications.values()) {
      for (const endpoint of app.endpoints.values()) {
        if (endpoint.observing) this.offerTo(app, endpoint);
      }
    }
    this.armRolloutCheck();
  }

  /** Pushes to an observing endpoint when its applicable update changed. */
  private offerTo(app: Application, endpoint: EndpointRecord): void {
    const target = this.selectFor(app, endpoint);
    if (target === undefined) {
      endpoint.lastOffered = undefined;
      return;
    }
    if (target.version === endpoint.lastOffered || endpoint.rejected.has(target.version)) return;
    endpoint.lastOffered = target.version;
    const push: ConfigPush = { application: app.name, token: endpoint.token, reply: this.replyFor(app, target) };
    for (const listener of this.pushListeners) listener(push);
  }

  /** Cancels the pending rollout-date callback (the emulator calls this on stop). */
  close(): void {
    this.cancelRolloutCheck?.();
    this.cancelRolloutCheck = undefined;
  }

  // --- internals -----------------------------------------------------------------------

  private armRolloutCheck(): void {
    this.close();
    const catalogue = [...this.applications.values()].flatMap((app) => [...app.software.values()]);
    const next = nextRolloutDate(catalogue, this.clock.now());
    if (next !== undefined) this.cancelRolloutCheck = this.clock.at(next, () => this.reevaluate());
  }

  private selectFor(app: Application, endpoint: EndpointRecord): Software | undefined {
    return selectUpdate(
      [...app.software.values()],
      { currentVersion: endpoint.currentVersion, filterIds: endpoint.filterIds, hasConsent: (v) => endpoint.consents.has(v) },
      this.clock.now(),
      app.consentRequired,
    );
  }

  private replyFor(app: Application, software: Software): ConfigReply {
    const key = app.files.get(software.version);
    if (key === undefined) return { configId: software.version, config: structuredClone(software.specification) };
    if (this.downloadBaseUrl === undefined) throw new KaaError(500, 'the emulator is not serving downloads (not started)');
    const path = `/files/${key.split('/').map(encodeURIComponent).join('/')}`;
    const expires = Math.floor(this.clock.now() / 1000) + this.presignTtlSeconds;
    const link = `${this.downloadBaseUrl}${path}?${this.signer.sign(path, expires)}`;
    return { configId: software.version, config: withValueAt(software.specification, this.linkPath, link) };
  }

  /** A tenant's application; another tenant's looks exactly like a missing one. */
  private application(tenantId: string, name: string): Application {
    const app = this.applications.get(name);
    if (!app || app.tenantId !== tenantId) throw new KaaError(404, `application "${name}" not found`);
    return app;
  }

  private applicationForEndpoint(name: string): Application {
    const app = this.applications.get(name);
    if (!app) throw new KaaError(404, `application "${name}" not found`);
    return app;
  }

  private software(app: Application, version: string): Software {
    const software = app.software.get(version);
    if (!software) throw new KaaError(404, `software ${version} not found in "${app.name}"`);
    return software;
  }

  private endpoint(app: Application, endpointId: string): EndpointRecord {
    const endpoint = app.endpoints.get(endpointId);
    if (!endpoint) throw new KaaError(404, `endpoint ${endpointId} not found in "${app.name}"`);
    return endpoint;
  }

  private endpointByToken(app: Application, token: string): EndpointRecord {
    const endpoint = app.byToken.get(token);
    if (!endpoint) throw new KaaError(401, `endpoint token "${token}" is not registered in "${app.name}"`);
    return endpoint;
  }
}
