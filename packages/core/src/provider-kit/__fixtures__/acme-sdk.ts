import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorFromResponse, toIntegrationError } from "../../classify";
import type { IntegrationError } from "../../errors";
import type { IntegrationTaskKey } from "../../integration";
import { taskMarker } from "../../runtime/idempotency";
import type { ProviderDefinition } from "../provider-definition";
import { providerIntegration } from "../provider-integration";
import { TaskNamespace } from "../task-namespace";

// A small fake SDK ("Acme") over real HTTP, with the shapes the next providers need: nested namespaces
// (`checkout.sessions`, as payment SDKs nest them), cursor pages with an auto-paging iterator, a per-request
// idempotency header. The kit is tested on it where the real providers do not exercise a feature.

export interface Widget {
  id: string;
  name: string;
  /** A task's marker, left by `createTagged` so a lost answer can be reconciled. */
  marker?: string;
}

class AcmeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
  ) {
    super(`Acme answered HTTP ${status}`);
  }
}

/** The fake SDK's client: namespaces of methods, each one HTTP request. */
export class AcmeClient {
  constructor(
    readonly token: string,
    readonly baseUrl: string,
    private readonly extraHeaders: Record<string, string> = {},
    private readonly send: typeof fetch = fetch,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        "content-type": "application/json",
        ...this.extraHeaders,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new AcmeHttpError(response.status, response.headers);
    return (await response.json()) as T;
  }

  /** A client that sends `Idempotency-Key` with every request (as payment APIs take it). */
  withIdempotencyKey(key: string): AcmeClient {
    return new AcmeClient(
      this.token,
      this.baseUrl,
      { ...this.extraHeaders, "idempotency-key": key },
      this.send,
    );
  }

  readonly widgets = {
    create: (params: { name: string; marker?: string }) => this.call<Widget>("POST", "/widgets", params),
    /** The widgets created with `marker`. */
    search: (params: { marker: string }) =>
      this.call<{ data: Widget[] }>("GET", `/widgets/search?marker=${encodeURIComponent(params.marker)}`),
    archive: (params: { id: string }) =>
      this.call<{ archived: string }>("POST", `/widgets/${params.id}/archive`),
    /** Takes a bare id, as many SDKs' `retrieve(id)` do. */
    retrieve: (id: string) => this.call<Widget>("GET", `/widgets/${encodeURIComponent(id)}`),
    list: (params: { cursor?: string } = {}) =>
      this.call<{ data: Widget[]; next?: string }>(
        "GET",
        `/widgets${params.cursor ? `?cursor=${params.cursor}` : ""}`,
      ),
    /** The SDK's own auto-pagination, page by page. */
    async *listPages(params: { cursor?: string } = {}) {
      let cursor = params.cursor;
      do {
        const page = await this.list(cursor === undefined ? {} : { cursor });
        yield page;
        cursor = page.next;
      } while (cursor !== undefined);
    },
  };

  readonly checkout = {
    sessions: {
      create: (params: { amount: number }) =>
        this.call<{ id: string; amount: number }>("POST", "/checkout/sessions", params),
      expire: (params: { id: string }) =>
        this.call<{ id: string; expired: boolean }>("POST", `/checkout/sessions/${params.id}/expire`),
    },
  };

  readonly whoami = {
    get: () => this.call<{ token: string }>("GET", "/whoami"),
  };
}

/** The fake provider's error table: HTTP status -> the taxonomy; no answer -> `network`. */
function toAcmeError(error: unknown, now: number): IntegrationError {
  if (error instanceof AcmeHttpError) {
    return errorFromResponse({
      provider: "acme",
      status: error.status,
      headers: error.headers,
      message: error.message,
      now,
    });
  }
  return toIntegrationError(error, "acme", now);
}

/** `io.acme.widgets`: hand-written create and a bounded page walk; `archive` passes through. */
export class Widgets extends TaskNamespace<AcmeClient> {
  /** Creates a widget, once: the task's idempotency key rides along. */
  create(key: IntegrationTaskKey, params: { name: string }) {
    return this.task(key, (client) => client.widgets.create(params), {
      name: "Create Widget",
      params,
      properties: [{ label: "Name", text: params.name }],
      idempotency: "native",
    });
  }

  /** Creates a widget carrying the task's marker; after a lost answer, the reconciler searches for it. */
  createTagged(key: IntegrationTaskKey, params: { name: string }) {
    return this.task(key, (client, task) => client.widgets.create({ ...params, marker: taskMarker(task) }), {
      name: "Create Tagged Widget",
      params,
      idempotency: "reconcile",
      reconcile: async (client, { marker }) => {
        const [found] = (await client.widgets.search({ marker })).data;
        return found ? { found: true, output: found } : { found: false };
      },
    });
  }

  /** Creates a widget and declares nothing: a lost answer fails the task visibly. */
  createPlain(key: IntegrationTaskKey, params: { name: string }) {
    return this.task(key, (client) => client.widgets.create(params), { name: "Create Plain Widget", params });
  }

  /** Every widget, up to `limit`, through the SDK's own auto-pagination. */
  listAll(key: IntegrationTaskKey, options: { limit: number }) {
    return this.pages<Widget>(
      key,
      {
        pages: (client) => client.widgets.listPages(),
        items: (page) => (page as { data: Widget[] }).data,
        limit: options.limit,
      },
      { name: "List All Widgets" },
    );
  }
}

/** `io.acme.checkout.sessions`: a hand-written task in a nested namespace; `expire` passes through. */
export class Sessions extends TaskNamespace<AcmeClient> {
  create(key: IntegrationTaskKey, params: { amount: number }) {
    return this.task(key, (client) => client.checkout.sessions.create(params), {
      name: "Create Checkout Session",
      params,
    });
  }
}

/** `io.acme.checkout`: holds the `sessions` child task class, as payment SDKs nest it. */
export class Checkout extends TaskNamespace<AcmeClient> {
  get sessions() {
    return this.child(Sessions);
  }
}

export interface AcmeOptions {
  id: string;
  token?: string;
  baseUrl: string;
  /** The fetch the client sends with. Default the global one. */
  fetch?: typeof fetch;
}

export const ACME_DEFINITION = {
  id: "acme",
  name: "Acme",
  // Acme's host is one for every account: the connection's fields (a site, a cloud) are not needed.
  createClient: (token, options, _fields) => new AcmeClient(token, options.baseUrl, {}, options.fetch),
  toError: toAcmeError,
  sdk: {
    root: (client) => client,
    shape: () => new AcmeClient("", "http://127.0.0.1:1"),
    result: "response",
  },
  secrets: { tokenShapes: [/\bacme_tok_[A-Za-z0-9]{8,}/g], tokenPrefixes: ["acme_tok_"] },
  withIdempotencyKey: (client, key) => client.withIdempotencyKey(key),
  retry: { limit: 3, factor: 1, minTimeoutInMs: 20, maxTimeoutInMs: 20 },
  tasks: {
    /** `create`, `createTagged`, `createPlain`, `listAll`; `archive` and the rest pass through. */
    widgets: Widgets,
    checkout: Checkout,
  },
  passthroughProperties: { Widget: "id", Amount: "amount" },
} satisfies ProviderDefinition<AcmeClient, AcmeOptions>;

export class Acme extends providerIntegration<typeof ACME_DEFINITION>() {
  constructor(options: AcmeOptions) {
    super(ACME_DEFINITION, options);
  }
}

/** What the fake API server saw. */
export interface AcmeRequest {
  method: string;
  path: string;
  token: string | undefined;
  idempotencyKey: string | undefined;
}

/**
 * Scripted answers: each takes the request and answers it (true), lets the default answer (false), or lets
 * the server handle the request and then loses the answer (`"lose-answer"`: the socket is destroyed).
 */
export type AcmeScript = (request: AcmeRequest, response: ServerResponse) => boolean | "lose-answer";

/** The fake API on 127.0.0.1: 7 widgets in pages of 2, tokens echoed, created widgets kept, scripted faults first. */
export async function startAcmeServer() {
  const requests: AcmeRequest[] = [];
  const scripts: AcmeScript[] = [];
  const created: Widget[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown) : {};
      const url = new URL(req.url ?? "/", "http://x");
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const request: AcmeRequest = {
        method: req.method ?? "GET",
        path: url.pathname + url.search,
        token: header("authorization")?.replace(/^Bearer /, ""),
        idempotencyKey: header("idempotency-key"),
      };
      requests.push(request);
      const scripted = scripts.shift()?.(request, res);
      if (scripted === true) return;
      const json = (answer: unknown) => {
        if (scripted === "lose-answer") {
          res.socket?.destroy();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      };
      if (url.pathname === "/whoami") return json({ token: request.token });
      if (url.pathname === "/widgets" && request.method === "POST") {
        const { name, marker } = body as { name?: string; marker?: string };
        const widget: Widget = {
          id: `w_${created.length + 1}`,
          name: name ?? "made",
          ...(marker && { marker }),
        };
        created.push(widget);
        // Untagged creates answer the fixed id the older tests expect.
        return json(marker ? widget : { id: "w_new", name: "made" });
      }
      if (url.pathname === "/widgets/search") {
        return json({ data: created.filter((w) => w.marker === url.searchParams.get("marker")) });
      }
      if (url.pathname === "/widgets") {
        const start = Number(url.searchParams.get("cursor") ?? 0);
        const data = Array.from({ length: 7 }, (_, i) => ({ id: `w${i}`, name: `widget ${i}` })).slice(
          start,
          start + 2,
        );
        return json({ data, ...(start + 2 < 7 && { next: String(start + 2) }) });
      }
      const archive = /^\/widgets\/([^/]+)\/archive$/.exec(url.pathname);
      if (archive) return json({ archived: archive[1] });
      const retrieved = /^\/widgets\/([^/]+)$/.exec(url.pathname);
      if (retrieved && request.method === "GET") return json({ id: retrieved[1], name: "found" });
      if (url.pathname === "/checkout/sessions") return json({ id: "cs_1", amount: 100 });
      const expire = /^\/checkout\/sessions\/([^/]+)\/expire$/.exec(url.pathname);
      if (expire) return json({ id: expire[1], expired: true });
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    /** Every widget created, in order (the side effects, to count duplicates). */
    created,
    /** Answers the next request with `script` (scripts are used in order, one request each). */
    next(script: AcmeScript) {
      scripts.push(script);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Handles the request, then destroys the socket instead of answering: the answer is lost. */
export const loseAnswer: AcmeScript = () => "lose-answer";

/** Answers with `status` (and headers); for scripts. */
export function answer(status: number, headers: Record<string, string> = {}): AcmeScript {
  return (_request, response) => {
    response.writeHead(status, headers).end();
    return true;
  };
}
