/**
 * The ExoSense OTAU documents (docs/protocols.md "1. Murano"): the `otau_info` tag of a
 * package_* content item, the `config_otau` it carries, and the `otau_in` status the device writes back.
 */

export const OTAU_STATUSES = [
  'INIT',
  'TEST',
  'TEST_STEP',
  'TEST_ERROR',
  'TEST_SUCCESS',
  'DOWNLOAD',
  'DOWNLOAD_STEP',
  'DOWNLOAD_SUCCESS',
  'DOWNLOAD_ERROR',
  'INSTALL',
  'INSTALL_STEP',
  'INSTALL_ABORTED',
  'INSTALL_ERROR',
  'INSTALL_SUCCESS',
  'INSTALLED_VERSION',
] as const;

export type OtauStatus = (typeof OTAU_STATUSES)[number];

export interface OtauInDocument {
  version: string;
  status: OtauStatus;
  message?: string;
}

/** The published enum says URL_LIST; the seed text says URLS. Both are accepted. */
export const CONFIG_OTAU_TYPES = ['FILE', 'JSON', 'URL_LIST', 'URLS'] as const;

export interface ConfigOtau {
  version: string;
  name: string;
  description?: string;
  type: (typeof CONFIG_OTAU_TYPES)[number];
  payload: unknown;
  /** Extension fields (sha256, size, signature, keyId) pass through untouched. */
  [extension: string]: unknown;
}

export interface OtauPackageInfo {
  author: string;
  vendor: string;
  product: string;
  config_otau: ConfigOtau;
}

/** Prefix that makes a product content item an OTAU package listing. */
export const PACKAGE_PREFIX = 'package_';
/** The tag key that holds the package's percent-encoded JSON. */
export const OTAU_INFO_TAG = 'otau_info';

export class OtauDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtauDocumentError';
  }
}

/** Parses an otau_in value as the device wrote it (a serialized JSON string). */
export function parseOtauIn(text: string): OtauInDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OtauDocumentError(`otau_in is not JSON: ${(error as Error).message}`);
  }
  const doc = expectObject(value, 'otau_in');
  const version = expectString(doc.version, 'otau_in.version');
  const status = expectString(doc.status, 'otau_in.status');
  if (!(OTAU_STATUSES as readonly string[]).includes(status)) {
    throw new OtauDocumentError(`otau_in.status "${status}" is not one of ${OTAU_STATUSES.join(', ')}`);
  }
  const result: OtauInDocument = { version, status: status as OtauStatus };
  if (doc.message !== undefined) result.message = expectString(doc.message, 'otau_in.message');
  return result;
}

/** Checks a config_otau object has the required fields with the right types. */
export function validateConfigOtau(value: unknown, where = 'config_otau'): ConfigOtau {
  const doc = expectObject(value, where);
  expectString(doc.version, `${where}.version`);
  expectString(doc.name, `${where}.name`);
  if (doc.description !== undefined) expectString(doc.description, `${where}.description`);
  const type = expectString(doc.type, `${where}.type`);
  if (!(CONFIG_OTAU_TYPES as readonly string[]).includes(type)) {
    throw new OtauDocumentError(`${where}.type "${type}" is not one of ${CONFIG_OTAU_TYPES.join(', ')}`);
  }
  if (!('payload' in doc)) throw new OtauDocumentError(`${where}.payload is missing`);
  return doc as ConfigOtau;
}

export function validatePackageInfo(value: unknown): OtauPackageInfo {
  const doc = expectObject(value, OTAU_INFO_TAG);
  for (const field of ['author', 'vendor', 'product'] as const) expectString(doc[field], `${OTAU_INFO_TAG}.${field}`);
  validateConfigOtau(doc.config_otau, `${OTAU_INFO_TAG}.config_otau`);
  return doc as unknown as OtauPackageInfo;
}

/** The tag value as the Murano CLI uploads it: percent-encoded UTF-8 JSON. */
export function encodeOtauInfo(info: OtauPackageInfo): string {
  return encodeURIComponent(JSON.stringify(info));
}

export function decodeOtauInfo(tagValue: string): OtauPackageInfo {
  let json: string;
  try {
    json = decodeURIComponent(tagValue);
  } catch {
    throw new OtauDocumentError(`${OTAU_INFO_TAG} is not valid percent-encoding`);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new OtauDocumentError(`${OTAU_INFO_TAG} is not JSON: ${(error as Error).message}`);
  }
  return validatePackageInfo(value);
}

function expectObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OtauDocumentError(`${where} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new OtauDocumentError(`${where} must be a string`);
  return value;
}
