import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type PresignCheck = { ok: true } | { ok: false; reason: string };

/**
 * Presigned download URLs in the manner of S3: the query carries an expiry (unix seconds) and
 * an HMAC-SHA256 over the path and that expiry, so neither can be changed without the secret.
 */
export class UrlSigner {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  /** The query string (without "?") that authorizes GETs of `path` until `expiresAtSeconds`. */
  sign(path: string, expiresAtSeconds: number): string {
    return new URLSearchParams({ expires: String(expiresAtSeconds), signature: this.mac(path, expiresAtSeconds) }).toString();
  }

  verify(path: string, query: URLSearchParams, nowSeconds: number): PresignCheck {
    const expiresText = query.get('expires');
    const signature = query.get('signature');
    if (expiresText === null || signature === null) return { ok: false, reason: 'the URL is not presigned (expires and signature are required)' };
    if (!/^\d+$/.test(expiresText)) return { ok: false, reason: 'expires must be unix seconds' };
    const expected = Buffer.from(this.mac(path, Number(expiresText)), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'the signature does not match the path and expiry' };
    }
    if (nowSeconds > Number(expiresText)) return { ok: false, reason: `the URL expired at ${expiresText}` };
    return { ok: true };
  }

  private mac(path: string, expiresAtSeconds: number): string {
    return createHmac('sha256', this.secret).update(`GET\n${path}\n${expiresAtSeconds}`).digest('hex');
  }
}
