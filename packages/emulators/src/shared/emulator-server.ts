import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type EmulatorClock, systemEmulatorClock } from "./emulator-clock";
import { type FaultAction, FaultInjector, loseAnswer, type RateLimitResponder } from "./faults";
import type { RequestViolation } from "./request-validation";
import { Router } from "./router";
import { SpecFallback, type SpecFallbackOptions } from "./spec-fallback";
import type { EmulatorRequest, EmulatorResponse, RecordedRequest, RouteHandler } from "./types";

export interface EmulatorServerOptions {
  /** Shown in errors, e.g. "acme". */
  name: string;
  /** The provider's own answer to an exceeded rate limit. */
  rateLimitResponse: RateLimitResponder;
  /** The provider's own answer to an unknown route. */
  notFoundResponse?: (request: EmulatorRequest) => EmulatorResponse;
  /** Fixed port; 0 (the default) picks a free one. */
  port?: number;
  /** Times rate-limit windows and stamps the request log. Default the wall clock. */
  clock?: EmulatorClock;
  /**
   * The provider's API description: a request no route serves that is a described operation gets a schema-valid
   * answer generated from it (`x-emulator-fallback: spec`), and every request to a described operation is
   * validated against it, the routes' too.
   */
  spec?: SpecFallbackOptions;
}

/**
 * A provider emulator's HTTP server on 127.0.0.1: routing, body parsing, a request log, fault
 * injection, and refusing connections on demand. Providers add their routes with `route()`.
 */
export class EmulatorServer {
  readonly name: string;
  readonly faults: FaultInjector;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** The spec layer, when the emulator was given its provider's description. */
  readonly spec: SpecFallback | undefined;
  private readonly router = new Router();
  private readonly options: EmulatorServerOptions;
  private readonly sockets = new Set<Socket>();
  private readonly clock: EmulatorClock;
  private server: Server | undefined;
  private port: number | undefined;

  constructor(options: EmulatorServerOptions) {
    this.name = options.name;
    this.options = options;
    this.clock = options.clock ?? systemEmulatorClock;
    this.faults = new FaultInjector(options.rateLimitResponse, () => this.clock.now());
    this.spec = options.spec && new SpecFallback(options.spec);
  }

  /** The routes added with `route()`, in order: the operations the emulator serves with state. */
  get routes(): ReadonlyArray<{ method: string; path: string }> {
    return this.router.list();
  }

  /** Requests to described operations that broke the description, oldest first, each naming operation and field. */
  get requestViolations(): readonly RequestViolation[] {
    return this.spec?.violations ?? [];
  }

  /** Forgets the request log and the recorded request violations (an emulator's `reset()`). */
  clearLog(): void {
    this.requests.length = 0;
    this.spec?.violations.splice(0);
  }

  route(method: string, path: string, handler: RouteHandler): this {
    this.router.add(method, path, handler);
    return this;
  }

  /** Starts listening; resolves to the base URL (`http://127.0.0.1:<port>`). */
  async start(): Promise<string> {
    if (this.server) return this.url;
    await this.listen(this.options.port ?? 0);
    return this.url;
  }

  get url(): string {
    if (this.port === undefined) throw new Error(`${this.name} emulator is not started`);
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.close();
    this.port = undefined;
  }

  /** Stops accepting connections (clients see ECONNREFUSED) but keeps the port for `acceptConnections()`. */
  async refuseConnections(): Promise<void> {
    await this.close();
  }

  async acceptConnections(): Promise<void> {
    if (!this.server) await this.listen(this.port ?? 0);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1_000;
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rawBody = await readBody(req);
    const request: EmulatorRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body: parseBody(req.headers["content-type"], rawBody),
      params: {},
      ...bearerOf(req.headers.authorization),
    };
    const record: RecordedRequest = {
      method: request.method,
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req.headers),
      body: request.body,
      outcome: 200,
      at: this.clock.now(),
    };
    this.requests.push(record);

    const delay = this.faults.delayFor(request);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const fault = this.faults.take(request);
    if (fault && fault.kind !== "respond" && fault.kind !== "lose-answer") {
      record.outcome = fault.kind;
      return applyTransportFault(fault, res);
    }

    const response = fault?.kind === "respond" ? fault.response : await this.answer(request, record);
    if (fault?.kind === "lose-answer") {
      record.outcome = "answer-lost";
      return loseAnswer(fault, res);
    }
    record.outcome = response.status ?? 200;
    record.responseHeaders = { ...response.headers };
    send(res, response);
  }

  /** A route's answer (after the spec check of its request), else the spec fallback's, else 405 or not found. */
  private async answer(request: EmulatorRequest, record: RecordedRequest): Promise<EmulatorResponse> {
    const matched = this.router.match(request.method, request.path);
    const described = this.spec?.match(request);
    if (described) record.operation = described.operation.key;
    const routed = matched && matched !== "method" ? matched : undefined;
    // A route serves the described operation only when its path is that operation's template.
    if (routed && (!described || this.spec?.operations.serves(routed.path, described.operation))) {
      request.params = routed.params;
      const refused = described && this.spec?.guard(request, described);
      if (refused) return refused;
      try {
        return await routed.handler(request);
      } catch (error) {
        return { status: 500, body: { message: `${this.name} emulator error: ${(error as Error).message}` } };
      }
    }
    if (described && this.spec) return this.spec.answer(request, described);
    if (matched === "method") return { status: 405, body: { message: "Method Not Allowed" } };
    return this.options.notFoundResponse?.(request) ?? { status: 404, body: { message: "Not Found" } };
  }
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  const { body } = response;
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | Buffer | undefined;
  if (body === undefined || body === null) payload = undefined;
  else if (typeof body === "string" || Buffer.isBuffer(body)) payload = body;
  else {
    payload = JSON.stringify(body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  res.writeHead(response.status ?? 200, headers);
  res.end(payload);
}

function applyTransportFault(
  fault: Exclude<FaultAction, { kind: "respond" | "lose-answer" }>,
  res: ServerResponse,
): void {
  switch (fault.kind) {
    case "drop":
      res.socket?.destroy();
      return;
    case "hang":
      return;
    case "reset":
      res.writeHead(200, { "content-type": "application/json", "content-length": "1024" });
      res.write('{"ok":true,"partial":');
      setTimeout(() => res.socket?.destroy(), 5);
      return;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/json" || type?.endsWith("+json")) {
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      return undefined;
    }
  }
  if (type === "application/x-www-form-urlencoded")
    return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
  return undefined;
}

function bearerOf(authorization: string | undefined): { bearer?: string } {
  const match = /^(?:Bearer|token)\s+(.+)$/i.exec(authorization ?? "");
  return match?.[1] ? { bearer: match[1] } : {};
}

function flattenHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
