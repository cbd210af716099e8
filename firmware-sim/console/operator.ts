// What an operator does with the emulated clouds, in one place for the web console, its REST
// API and serve's stdin commands: list and publish packages, list devices with their update
// state, apply a package to devices (Murano: write config_otau, as ExoSense does; Kaa: grant
// the endpoint consent to that software version), and be told when anything changes.
import type { KaaEmulator } from "../kaa/kaa-emulator.ts";
import type { Software } from "../kaa/software.ts";
import type { MuranoEmulator } from "../murano/murano-emulator.ts";
import type { OtauPackageInfo } from "../murano/otau-documents.ts";
import type { ContentServer } from "../network/content-server.ts";
import { checkFirmwareImage, describeRelease, ReleaseError } from "../publishing/release.ts";
import { deviceView, endpointView, type DeviceView } from "./device-view.ts";

/** An operator request that cannot be carried out; `status` is the HTTP status the API answers. */
export class OperatorError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "OperatorError";
  }
}

export interface PackageView {
  id: string;
  version: string;
  name: string;
  description: string;
  author: string;
  vendor: string;
  product: string;
  size?: number;
  sha256?: string;
  /** Whether the config names a signature (the agent's signed-image fields). */
  signed: boolean;
  url?: string;
  /** A release with one build per slot: each slot's download URL. */
  slots?: { A: string; B: string };
}

export interface KaaView {
  tenant: string;
  application: string;
  consentRequired: boolean;
  software: Software[];
}

export interface OperatorState {
  packages: PackageView[];
  devices: DeviceView[];
  kaa: KaaView;
}

export interface PublishRequest {
  image: Uint8Array;
  version: string;
  name: string;
  description?: string;
  vendor?: string;
  product?: string;
  author?: string;
  /** Kaa versions this one may be installed over; default: every version Kaa endpoints run now. */
  upgradableFrom?: string[];
  /** A release with one build per slot: `image` is ignored, slot B's build stands in the ordinary fields. */
  slotImages?: { A: Uint8Array; B: Uint8Array };
}

export interface OperatorClouds {
  murano: MuranoEmulator;
  kaa: KaaEmulator;
  content: ContentServer;
  tenant: string;
  application: string;
}

export class Operator {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly clouds: OperatorClouds) {
    const changed = (): void => this.changed();
    clouds.murano.product.onOtauIn(changed);
    clouds.murano.product.onCloudWrite(changed);
    clouds.kaa.platform.onApplied(changed);
    clouds.kaa.platform.onPush(changed);
  }

  /** Calls `listener` after every change an operator could see; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(): OperatorState {
    return { packages: this.packages(), devices: this.devices(), kaa: this.kaaView() };
  }

  packages(): PackageView[] {
    return this.clouds.murano.product.packages().map(({ id, info }) => packageView(id, info));
  }

  devices(): DeviceView[] {
    const { murano, kaa, tenant, application } = this.clouds;
    return [
      ...murano.product.identities().map((id) => deviceView(id, murano.product.lastTransport(id), murano.product.statusHistory(id))),
      ...kaa.platform.endpointIds(tenant, application).map((id) => endpointView(kaa.platform.endpointSnapshot(tenant, application, id))),
    ];
  }

  /**
   * Publishes an image: the content server hosts it, Murano lists a package_* item whose
   * otau_info carries its config_otau, and Kaa gets the same version as software.
   */
  publish(request: PublishRequest): PackageView {
    const { murano, kaa, content, tenant, application } = this.clouds;
    const builds = request.slotImages;
    if (builds) request = { ...request, image: builds.B };
    let release;
    try {
      release = describeRelease({ ...request, url: "http://placeholder/" });
      if (builds) {
        checkSlotBuild("A", builds.A, request.version);
        checkSlotBuild("B", builds.B, request.version);
      } else {
        checkFirmwareImage(request.image, request.version);
      }
    } catch (error) {
      if (error instanceof ReleaseError) throw new OperatorError(400, error.message);
      throw error;
    }
    if (murano.product.content(release.packageId)) throw new OperatorError(409, `package ${release.packageId} is already published`);
    const path = `/packages/${release.packageId}.bin`;
    const slotPath = (slot: "A" | "B") => `/packages/${release!.packageId}-${slot}.bin`;
    const slots = builds && {
      A: { image: builds.A, url: content.url(slotPath("A")) },
      B: { image: builds.B, url: content.url(slotPath("B")) },
    };
    release = describeRelease({ ...request, url: slots ? slots.B.url : content.url(path), slots });
    const upgradableFrom = request.upgradableFrom ?? this.kaaInstalledVersions().filter((v) => v !== request.version);
    let software;
    try {
      software = { ...release.kaaSoftware, upgradableFrom };
      kaa.platform.createSoftware(tenant, application, software);
    } catch (error) {
      throw new OperatorError(400, `Kaa refused version ${request.version}: ${(error as Error).message}`);
    }
    kaa.platform.uploadFile(tenant, application, request.version, request.image, `${release.packageId}.bin`);
    if (builds) {
      content.serveBytes(slotPath("A"), builds.A);
      content.serveBytes(slotPath("B"), builds.B);
    } else {
      content.serveBytes(path, request.image);
    }
    murano.product.publishPackage(release.packageId, release.info);
    this.changed();
    return packageView(release.packageId, release.info);
  }

  /** Applies a package to one device (Murano identity or Kaa endpoint) or to "all"; returns who got it. */
  apply(target: string, packageId: string): string[] {
    const pkg = this.packages().find((p) => p.id === packageId);
    if (!pkg) throw new OperatorError(404, `no package "${packageId}"; published: ${this.packages().map((p) => p.id).join(", ") || "none"}`);
    const devices = this.devices();
    const chosen = target === "all" ? devices : devices.filter((d) => d.id === target);
    if (chosen.length === 0) throw new OperatorError(404, `no device "${target}"; known: ${devices.map((d) => d.id).join(", ") || "none"}`);
    for (const device of chosen) {
      if (device.cloud === "murano") this.clouds.murano.product.applyPackage(device.id, packageId);
      else this.grantConsent(device.id, pkg.version);
    }
    this.changed();
    return chosen.map((d) => `${d.id} (${d.cloud})`);
  }

  /** Kaa: lets the endpoint take `version` (what applying means where consent is required). */
  grantConsent(endpointId: string, version: string): void {
    const { kaa, tenant, application } = this.clouds;
    if (!kaa.platform.endpointIds(tenant, application).includes(endpointId)) throw new OperatorError(404, `no Kaa endpoint "${endpointId}"`);
    if (!kaa.platform.listSoftware(tenant, application).some((s) => s.version === version)) {
      throw new OperatorError(404, `no Kaa software version "${version}" in application ${application}`);
    }
    kaa.platform.grantConsent(tenant, application, endpointId, version);
    this.changed();
  }

  private kaaView(): KaaView {
    const { kaa, tenant, application } = this.clouds;
    return { tenant, application, consentRequired: kaa.platform.consentRequired(tenant, application), software: kaa.platform.listSoftware(tenant, application) };
  }

  private kaaInstalledVersions(): string[] {
    const versions = this.devices().filter((d) => d.cloud === "kaa").map((d) => d.installedVersion);
    return [...new Set(versions.filter((v): v is string => v !== undefined))];
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function packageView(id: string, info: OtauPackageInfo): PackageView {
  const config = info.config_otau;
  const number = (value: unknown) => (typeof value === "number" ? value : undefined);
  return {
    id,
    version: config.version,
    name: config.name,
    description: config.description ?? "",
    author: info.author,
    vendor: info.vendor,
    product: info.product,
    size: number(config.size),
    sha256: typeof config.sha256 === "string" ? config.sha256 : undefined,
    signed: typeof config.signature === "string",
    url: typeof config.payload === "string" ? config.payload : undefined,
    slots: slotUrls(config.slots),
  };
}

function slotUrls(slots: unknown): { A: string; B: string } | undefined {
  const table = slots as { A?: { payload?: unknown }; B?: { payload?: unknown } } | undefined;
  const a = table?.A?.payload, b = table?.B?.payload;
  return typeof a === "string" && typeof b === "string" ? { A: a, B: b } : undefined;
}

/** Each build of a per-slot release must be a firmware image; a refusal names the slot. */
function checkSlotBuild(slot: "A" | "B", image: Uint8Array, version: string): void {
  try {
    checkFirmwareImage(image, version);
  } catch (error) {
    if (error instanceof ReleaseError) throw new ReleaseError(`slot ${slot}'s build: ${error.message}`);
    throw error;
  }
}
