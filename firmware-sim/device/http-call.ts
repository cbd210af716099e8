// One HTTP request and its whole answer, over node:http(s) with the default keep-alive agent.
// The Murano HTTP link's long-polls and status writes use it instead of fetch(): undici's
// fetch cost a fleet device process about a fifth of its busy CPU (docs/fleet.md), for
// requests that need none of what fetch adds.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HttpCall {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Aborting rejects the call and closes its connection. */
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function httpCall(url: string, call: HttpCall = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const body = call.body === undefined ? undefined : Buffer.from(call.body, "utf8");
    const headers = { ...call.headers, ...(body ? { "Content-Length": String(body.length) } : {}) };
    const request = send(target, { method: call.method ?? "GET", headers, signal: call.signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
      response.on("close", () => {
        if (!response.complete) reject(new Error(`the answer from ${target.host} ended early`));
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}
