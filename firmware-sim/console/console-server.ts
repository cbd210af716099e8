// The operator console of `otau-sim serve`: one loopback HTTP server with the page (Preact +
// htm, served as ES modules from node_modules, no build step), the operator REST API under
// /api/ (docs/console.md), and /api/events, a server-sent-events stream that sends the whole
// state again after each change so the page never reloads.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { BodyTooLargeError, LoopbackHttpServer, readBody } from "../network/loopback.ts";
import { Operator, OperatorError } from "./operator.ts";

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "page");
const require = createRequire(import.meta.url);
/** The page's files and the browser builds of its two libraries, by URL path. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  "/": { file: join(PAGE_DIR, "index.html"), type: "text/html; charset=utf-8" },
  "/console.js": { file: join(PAGE_DIR, "console.js"), type: "text/javascript; charset=utf-8" },
  "/console.css": { file: join(PAGE_DIR, "console.css"), type: "text/css; charset=utf-8" },
  "/vendor/preact.mjs": { file: require.resolve("preact"), type: "text/javascript; charset=utf-8" },
  "/vendor/hooks.mjs": { file: require.resolve("preact/hooks"), type: "text/javascript; charset=utf-8" },
  "/vendor/htm.mjs": { file: join(dirname(require.resolve("htm")), "htm.mjs"), type: "text/javascript; charset=utf-8" },
};
/** Largest image the console accepts for upload. */
const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
const MAX_JSON_BYTES = 64 * 1024;
/** Changes arriving together (a burst of otau_in reports) go out as one state event. */
const EVENT_COALESCE_MS = 50;

export class ConsoleServer {
  private readonly http = new LoopbackHttpServer("the operator console", (req, res) => {
    this.route(req, res).catch((error: unknown) => answerError(res, error));
  });
  private readonly streams = new Set<ServerResponse>();
  private pending?: NodeJS.Timeout;

  constructor(private readonly operator: Operator) {
    operator.onChange(() => this.scheduleEvent());
  }

  start(port = 0): Promise<string> {
    return this.http.start(port).then((url) => `${url}/`);
  }

  async stop(): Promise<void> {
    clearTimeout(this.pending);
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    await this.http.stop();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://console");
    const route = `${req.method} ${url.pathname}`;
    const file = STATIC_FILES[url.pathname];
    if (req.method === "GET" && file) {
      res.writeHead(200, { "Content-Type": file.type, "Cache-Control": "no-store" });
      res.end(readFileSync(file.file));
      return;
    }
    switch (route) {
      case "GET /api/state":
        return answer(res, 200, this.operator.state());
      case "GET /api/packages":
        return answer(res, 200, this.operator.packages());
      case "GET /api/devices":
        return answer(res, 200, this.operator.devices());
      case "GET /api/events":
        return this.openStream(res);
      case "POST /api/packages": {
        const query = (name: string): string => url.searchParams.get(name) ?? "";
        // slotASize: a release with a build per slot, the body slot A's build then slot B's.
        const slotASize = url.searchParams.get("slotASize");
        const image = await readBody(req, slotASize === null ? MAX_IMAGE_BYTES : 2 * MAX_IMAGE_BYTES);
        const split = slotASize === null ? undefined : Number(slotASize);
        if (split !== undefined && !(Number.isInteger(split) && split > 0 && split < image.length)) {
          throw new OperatorError(400, `slotASize must be the byte length of slot A's build, less than the body's ${image.length} bytes, got "${slotASize}"`);
        }
        const from = url.searchParams.get("upgradableFrom");
        const published = this.operator.publish({
          image,
          slotImages: split === undefined ? undefined : { A: image.subarray(0, split), B: image.subarray(split) },
          version: query("version"),
          name: query("name"),
          description: query("description") || undefined,
          vendor: query("vendor") || undefined,
          product: query("product") || undefined,
          author: query("author") || undefined,
          upgradableFrom: from === null ? undefined : from.split(",").map((v) => v.trim()).filter((v) => v !== ""),
        });
        return answer(res, 201, published);
      }
      case "POST /api/apply": {
        const body = await readJson(req);
        const packageId = stringField(body, "packageId");
        const targets = Array.isArray(body.devices) ? body.devices : [stringField(body, "device")];
        if (targets.length === 0 || !targets.every((t): t is string => typeof t === "string" && t !== "")) {
          throw new OperatorError(400, '"devices" must be a non-empty array of device ids (or "device": one id, or "all")');
        }
        const applied = targets.flatMap((target) => this.operator.apply(target, packageId));
        return answer(res, 200, { applied });
      }
      case "POST /api/kaa/consent": {
        const body = await readJson(req);
        this.operator.grantConsent(stringField(body, "endpoint"), stringField(body, "version"));
        return answer(res, 200, { granted: true });
      }
      default:
        throw new OperatorError(404, `no such page or API: ${route}`);
    }
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    this.streams.add(res);
    res.on("close", () => this.streams.delete(res));
    res.write(stateEvent(this.operator));
  }

  private scheduleEvent(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (this.streams.size === 0) return;
      const event = stateEvent(this.operator);
      for (const stream of this.streams) stream.write(event);
    }, EVENT_COALESCE_MS);
  }
}

function stateEvent(operator: Operator): string {
  return `event: state\ndata: ${JSON.stringify(operator.state())}\n\n`;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req, MAX_JSON_BYTES)).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OperatorError(400, `the request body is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OperatorError(400, "the request body must be a JSON object");
  return value as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== "string" || value === "") throw new OperatorError(400, `"${name}" must be a non-empty string`);
  return value;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
  res.end(text);
}

function answerError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof OperatorError) answer(res, error.status, { error: error.message });
  else if (error instanceof BodyTooLargeError) answer(res, 413, { error: error.message });
  else answer(res, 500, { error: (error as Error).message });
}
