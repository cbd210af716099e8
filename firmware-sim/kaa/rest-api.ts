import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../network/loopback.ts';
import { KaaError, type KaaPlatform } from './platform.ts';
import { SoftwareValidationError } from './software.ts';

const MAX_JSON_BYTES = 1024 * 1024;
const MAX_FILE_BYTES = 64 * 1024 * 1024;

type Handler = (tenantId: string, params: string[], req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void> | void;

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

/**
 * The OTAO REST API (bearer token per tenant). Listing follows the documented path; create,
 * update, delete, file upload and consent paths are our choices (docs/protocols.md "REST").
 */
export class KaaRestApi {
  private readonly routes: Route[];

  constructor(private readonly platform: KaaPlatform) {
    const p = platform;
    this.routes = [
      {
        pattern: /^\/api\/v1\/applications\/([^/]+)\/software$/,
        methods: {
          GET: (tenant, [app], _req, res) => sendJson(res, 200, p.listSoftware(tenant, app)),
          POST: async (tenant, [app], req, res) => sendJson(res, 201, p.createSoftware(tenant, app, await readJson(req))),
        },
      },
      {
        pattern: /^\/api\/v1\/applications\/([^/]+)\/software\/([^/]+)$/,
        methods: {
          PUT: async (tenant, [app, version], req, res) => sendJson(res, 200, p.updateSoftware(tenant, app, version, await readJson(req))),
          DELETE: (tenant, [app, version], _req, res) => {
            p.deleteSoftware(tenant, app, version);
            sendStatus(res, 204);
          },
        },
      },
      {
        // Raw bytes in the body; `?name=` sets the stored file name (default firmware.bin).
        pattern: /^\/api\/v1\/applications\/([^/]+)\/software\/([^/]+)\/file$/,
        methods: {
          PUT: async (tenant, [app, version], req, res, query) => {
            const bytes = await readBody(req, MAX_FILE_BYTES);
            const file = p.uploadFile(tenant, app, version, bytes, query.get('name') ?? undefined);
            sendJson(res, 200, { key: file.key, size: file.size, sha256: file.sha256 });
          },
        },
      },
      {
        pattern: /^\/api\/v1\/applications\/([^/]+)\/endpoints\/([^/]+)\/consents\/([^/]+)$/,
        methods: {
          PUT: (tenant, [app, endpointId, version], _req, res) => {
            p.grantConsent(tenant, app, endpointId, version);
            sendStatus(res, 204);
          },
          DELETE: (tenant, [app, endpointId, version], _req, res) => {
            p.revokeConsent(tenant, app, endpointId, version);
            sendStatus(res, 204);
          },
        },
      },
    ];
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const tenant = this.authenticate(req);
      for (const route of this.routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        const handler = route.methods[req.method ?? ''];
        if (!handler) {
          res.setHeader('Allow', Object.keys(route.methods).join(', '));
          throw new KaaError(405, `${req.method} is not allowed on ${url.pathname}`);
        }
        await handler(tenant, match.slice(1).map(decodeURIComponent), req, res, url.searchParams);
        return;
      }
      throw new KaaError(404, `no REST route ${req.method} ${url.pathname}`);
    } catch (error) {
      sendError(res, error);
    }
  }

  private authenticate(req: IncomingMessage): string {
    const header = req.headers.authorization;
    // The auth scheme is case-insensitive (RFC 9110 §11.1); Kaa's own examples write "bearer".
    const match = header === undefined ? null : /^bearer +(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    if (!token) throw new KaaError(401, 'missing "Authorization: Bearer <token>" header');
    const tenant = this.platform.tenantOfBearer(token);
    if (tenant === undefined) throw new KaaError(401, 'the bearer token is not known to any tenant');
    return tenant;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req, MAX_JSON_BYTES)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KaaError(400, `the body is not JSON: ${(error as Error).message}`);
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

function sendStatus(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

function sendError(res: ServerResponse, error: unknown): void {
  let status = 500;
  if (error instanceof KaaError) status = error.statusCode;
  else if (error instanceof SoftwareValidationError) status = 400;
  else if (error instanceof BodyTooLargeError) status = 413;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: (error as Error).message });
}
