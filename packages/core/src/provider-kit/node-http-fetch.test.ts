import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transportErrorCode } from "../classify";
import { createNodeHttpFetch, nodeHttpFetch } from "./node-http-fetch";
import { DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLargeError } from "./response-limit";

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A loopback server: each test installs the routes it needs, and reads the requests it saw. */
class Loopback {
  readonly seen: Seen[] = [];
  readonly routes = new Map<string, Route>();
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        const path = req.url ?? "/";
        this.seen.push({ method: req.method ?? "", path, headers: req.headers, body });
        const route = this.routes.get(path.split("?")[0] ?? "");
        if (route) route(req, res, body);
        else res.writeHead(404).end("no route");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  last(path: string): Seen {
    const found = this.seen.findLast((seen) => seen.path === path);
    if (!found) throw new Error(`no request to ${path}`);
    return found;
  }
}

const api = new Loopback();
// A second origin (another port) for redirects that leave the first.
const other = new Loopback();
beforeAll(async () => {
  await Promise.all([api.start(), other.start()]);
});
afterAll(async () => {
  await Promise.all([api.stop(), other.stop()]);
});

const json = (res: ServerResponse, status: number, value: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));

describe("nodeHttpFetch: requests", () => {
  it("sends fetch's default headers and hands back status, headers (every value) and body", async () => {
    api.routes.set("/hello", (_req, res) => {
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(201, "Made It", { "x-ratelimit-remaining": "7" }).end('{"ok":true}');
    });
    const response = await nodeHttpFetch(`${api.url}/hello?x=1`);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Made It");
    expect(response.headers.get("x-ratelimit-remaining")).toBe("7");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(response.url).toBe(`${api.url}/hello?x=1`);
    expect(response.redirected).toBe(false);
    expect(await response.json()).toEqual({ ok: true });
    const seen = api.last("/hello?x=1");
    expect(seen.method).toBe("GET");
    expect(seen.headers).toMatchObject({
      accept: "*/*",
      "accept-encoding": "gzip, deflate",
      "user-agent": "node",
    });
    expect(seen.headers["content-length"]).toBeUndefined();
  });

  it("keeps the caller's headers over the defaults, from a plain object, pairs or Headers", async () => {
    api.routes.set("/headers", (_req, res) => json(res, 200, {}));
    await nodeHttpFetch(`${api.url}/headers`, {
      headers: { Accept: "application/json", "User-Agent": "sdk/1" },
    });
    expect(api.last("/headers").headers).toMatchObject({ accept: "application/json", "user-agent": "sdk/1" });
    await nodeHttpFetch(new URL(`${api.url}/headers`), { headers: [["authorization", "Bearer t"]] });
    expect(api.last("/headers").headers.authorization).toBe("Bearer t");
    await nodeHttpFetch(`${api.url}/headers`, { headers: new Headers({ "accept-encoding": "identity" }) });
    expect(api.last("/headers").headers["accept-encoding"]).toBe("identity");
  });

  it("sends each kind of body fetch takes, with its length and, unless named, its content type", async () => {
    api.routes.set("/echo", (_req, res, body) => json(res, 200, { body }));
    const sent = async (body: RequestInit["body"], headers?: Record<string, string>) => {
      await nodeHttpFetch(`${api.url}/echo`, { method: "post", body, ...(headers && { headers }) });
      return api.last("/echo");
    };
    const text = await sent('{"channel":"C1"}', { "content-type": "application/json" });
    expect(text).toMatchObject({ method: "POST", body: '{"channel":"C1"}' });
    expect(text.headers).toMatchObject({ "content-type": "application/json", "content-length": "16" });
    expect((await sent("héllo")).headers).toMatchObject({
      "content-type": "text/plain;charset=UTF-8",
      "content-length": "6",
    });
    const form = await sent(new URLSearchParams({ token: "x", channel: "C 1" }));
    expect(form.body).toBe("token=x&channel=C+1");
    expect(form.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
    expect((await sent(new TextEncoder().encode("bytes"))).body).toBe("bytes");
    expect((await sent(new TextEncoder().encode("buffer").buffer as ArrayBuffer)).body).toBe("buffer");
    const data = new FormData();
    data.set("file", new Blob(["file content"]), "a.txt");
    const multipart = await sent(data);
    expect(multipart.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart.body).toContain('filename="a.txt"');
    expect(multipart.body).toContain("file content");
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed"));
        controller.close();
      },
    });
    const streamed = await nodeHttpFetch(`${api.url}/echo`, {
      method: "PUT",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(await streamed.json()).toEqual({ body: "streamed" });
    expect(api.last("/echo").headers["content-length"]).toBe("8");
  });

  it("takes a Request (as axios's fetch adapter sends one), its method, headers and body", async () => {
    api.routes.set("/request", (_req, res, body) => json(res, 200, { body }));
    const request = new Request(`${api.url}/request`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
      body: '{"a":1}',
    });
    const response = await nodeHttpFetch(request);
    expect(await response.json()).toEqual({ body: '{"a":1}' });
    expect(api.last("/request")).toMatchObject({
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
    });
  });

  it("sends content-length 0 for an empty POST, and refuses a body on a GET as fetch does", async () => {
    api.routes.set("/empty", (_req, res) => res.writeHead(204).end());
    const response = await nodeHttpFetch(`${api.url}/empty`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(api.last("/empty").headers["content-length"]).toBeUndefined();
    await nodeHttpFetch(`${api.url}/empty`, { method: "POST" });
    expect(api.last("/empty").headers["content-length"]).toBe("0");
    await expect(nodeHttpFetch(`${api.url}/empty`, { body: "x" })).rejects.toThrow(TypeError);
  });

  it("hands a HEAD answer back without a body", async () => {
    api.routes.set("/head", (_req, res) => res.writeHead(200, { "content-length": "42" }).end());
    const response = await nodeHttpFetch(`${api.url}/head`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("42");
    expect(response.body).toBeNull();
  });

  it.each([
    ["transfer-encoding", "chunked"],
    ["keep-alive", "timeout=5"],
    ["upgrade", "websocket"],
    ["expect", "100-continue"],
    ["content-length", "99"],
    ["content-length", "3"],
    ["host", "elsewhere.test"],
    ["connection", "close"],
    ["connection", "upgrade"],
    ["te", "trailers"],
  ])("takes a %s: %s header as Node's fetch does", async (name, value) => {
    api.routes.set("/framing", (req, res) => json(res, 200, { seen: req.headers[name] ?? null }));
    const outcome = (send: typeof fetch) =>
      send(`${api.url}/framing`, { method: "POST", body: "abc", headers: { [name]: value } }).then(
        async (response) => ({ sent: ((await response.json()) as { seen: unknown }).seen }),
        (error: TypeError) => ({ failed: error.message, code: (error.cause as { code?: string }).code }),
      );
    // Sent or refused alike, with the same error: a differential test against the fetch it stands in for.
    expect(await outcome(nodeHttpFetch)).toEqual(await outcome(fetch));
  });

  it("goes to the global fetch for a URL that is not http(s)", async () => {
    const response = await nodeHttpFetch("data:text/plain,from%20data");
    expect(await response.text()).toBe("from data");
  });

  it("goes to the global fetch on a Node without process.getBuiltinModule (before 22.3)", async () => {
    api.routes.set("/which", (_req, res) => json(res, 200, {}));
    await nodeHttpFetch(`${api.url}/which`);
    // undici's fetch sends `sec-fetch-mode`; node:http sends what it is given.
    expect(api.last("/which").headers["sec-fetch-mode"]).toBeUndefined();
    const { getBuiltinModule } = process;
    Object.defineProperty(process, "getBuiltinModule", {
      value: undefined,
      configurable: true,
      writable: true,
    });
    try {
      await nodeHttpFetch(`${api.url}/which`);
    } finally {
      Object.defineProperty(process, "getBuiltinModule", {
        value: getBuiltinModule,
        configurable: true,
        writable: true,
      });
    }
    expect(api.last("/which").headers["sec-fetch-mode"]).toBe("cors");
  });
});

describe("nodeHttpFetch: encoded answers", () => {
  const payload = JSON.stringify({ ok: true, items: Array.from({ length: 50 }, (_, i) => `item ${i}`) });
  const encoded: Record<string, Buffer> = {
    gzip: gzipSync(payload),
    deflate: deflateSync(payload),
    br: brotliCompressSync(payload),
  };
  for (const [coding, bytes] of Object.entries(encoded)) {
    it(`decodes a ${coding} body and keeps the header, as fetch does`, async () => {
      api.routes.set(`/${coding}`, (_req, res) =>
        res.writeHead(200, { "content-type": "application/json", "content-encoding": coding }).end(bytes),
      );
      const response = await nodeHttpFetch(`${api.url}/${coding}`);
      expect(response.headers.get("content-encoding")).toBe(coding);
      expect(await response.text()).toBe(payload);
    });
  }

  it("undoes two encodings, the last applied first", async () => {
    api.routes.set("/twice", (_req, res) =>
      res.writeHead(200, { "content-encoding": "deflate, gzip" }).end(gzipSync(deflateSync(payload))),
    );
    expect(await (await nodeHttpFetch(`${api.url}/twice`)).text()).toBe(payload);
  });

  it("leaves a body in an encoding it does not know as it came", async () => {
    api.routes.set("/unknown", (_req, res) =>
      res.writeHead(200, { "content-encoding": "x-custom" }).end("raw"),
    );
    expect(await (await nodeHttpFetch(`${api.url}/unknown`)).text()).toBe("raw");
  });

  it("fails a corrupt compressed body as a cut answer", async () => {
    api.routes.set("/corrupt", (_req, res) =>
      res.writeHead(200, { "content-encoding": "gzip" }).end(Buffer.from("definitely not gzip")),
    );
    await expect(nodeHttpFetch(`${api.url}/corrupt`)).rejects.toMatchObject({
      name: "TypeError",
      message: "terminated",
    });
  });
});

describe("nodeHttpFetch: redirects", () => {
  it("follows a 303 after a POST as a GET without the body or its headers", async () => {
    api.routes.set("/form", (_req, res) => res.writeHead(303, { location: "/result" }).end());
    api.routes.set("/result", (_req, res) => json(res, 200, { done: true }));
    const response = await nodeHttpFetch(`${api.url}/form`, {
      method: "POST",
      body: "a=1",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Bearer t" },
    });
    expect(await response.json()).toEqual({ done: true });
    expect(response.url).toBe(`${api.url}/result`);
    expect(response.redirected).toBe(true);
    const followed = api.last("/result");
    expect(followed).toMatchObject({ method: "GET", body: "" });
    expect(followed.headers["content-type"]).toBeUndefined();
    // Same origin: the credential goes along.
    expect(followed.headers.authorization).toBe("Bearer t");
  });

  it("keeps the method and body on a 307, and drops the credentials on the way to another origin", async () => {
    api.routes.set("/moved", (_req, res) => res.writeHead(307, { location: `${other.url}/landing` }).end());
    other.routes.set("/landing", (_req, res, body) => json(res, 200, { body }));
    const response = await nodeHttpFetch(`${api.url}/moved`, {
      method: "PUT",
      body: "payload",
      headers: { authorization: "Bearer secret", cookie: "s=1", "x-keep": "yes" },
    });
    expect(await response.json()).toEqual({ body: "payload" });
    const landed = other.last("/landing");
    expect(landed.method).toBe("PUT");
    expect(landed.headers.authorization).toBeUndefined();
    expect(landed.headers.cookie).toBeUndefined();
    expect(landed.headers["x-keep"]).toBe("yes");
  });

  it("hands a redirect back under `manual`, and fails it under `error`", async () => {
    api.routes.set("/elsewhere", (_req, res) =>
      res.writeHead(302, { location: "https://example.invalid/" }).end(),
    );
    const manual = await nodeHttpFetch(`${api.url}/elsewhere`, { redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toBe("https://example.invalid/");
    await expect(nodeHttpFetch(`${api.url}/elsewhere`, { redirect: "error" })).rejects.toThrow(
      "fetch failed",
    );
  });

  it("gives up after 20 redirects", async () => {
    api.routes.set("/loop", (_req, res) => res.writeHead(302, { location: "/loop" }).end());
    const before = api.seen.length;
    await expect(nodeHttpFetch(`${api.url}/loop`)).rejects.toMatchObject({
      message: "fetch failed",
      cause: { message: "redirect count exceeded" },
    });
    expect(api.seen.length - before).toBe(21);
  });
});

describe("nodeHttpFetch: failures and aborts", () => {
  it("fails a refused connection as undici does: TypeError('fetch failed') caused by ECONNREFUSED", async () => {
    const closed = new Loopback();
    await closed.start();
    await closed.stop();
    const error = await nodeHttpFetch(`${closed.url}/`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ message: "fetch failed" });
    expect(transportErrorCode(error)).toBe("ECONNREFUSED");
  });

  it("fails an answer cut mid-body as a reset (the outcome is unknown)", async () => {
    api.routes.set("/cut", (_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial", () => res.socket?.destroy());
    });
    const error = await nodeHttpFetch(`${api.url}/cut`).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "TypeError", message: "terminated" });
    expect(transportErrorCode(error)).toBe("ECONNRESET");
  });

  it("rejects with the signal's reason: aborted before, while waiting for headers, and mid-body", async () => {
    const reason = new DOMException("No answer within 5 ms", "TimeoutError");
    await expect(nodeHttpFetch(`${api.url}/hello`, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );

    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let cut!: () => void;
    const connectionCut = new Promise<void>((resolve) => {
      cut = resolve;
    });
    api.routes.set("/slow", (_req, res) => {
      res.on("close", cut);
      arrived();
    });
    const controller = new AbortController();
    const pending = nodeHttpFetch(`${api.url}/slow`, { signal: controller.signal });
    await waiting;
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await connectionCut;

    let started!: () => void;
    const bodyStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    api.routes.set("/trickle", (_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("first part", () => started());
    });
    const midBody = new AbortController();
    const trickling = nodeHttpFetch(`${api.url}/trickle`, { signal: midBody.signal });
    await bodyStarted;
    midBody.abort(reason);
    await expect(trickling).rejects.toBe(reason);
  });

  it("follows a Request's own signal", async () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled by the SDK"));
    await expect(
      nodeHttpFetch(new Request(`${api.url}/hello`, { signal: controller.signal })),
    ).rejects.toThrow("cancelled by the SDK");
  });
});

describe("nodeHttpFetch: the bound on an answer's size", () => {
  const KIB = 1024;
  const bounded = createNodeHttpFetch({ maxResponseBytes: 100 * KIB });

  it("takes an answer of exactly the bound, and refuses one byte more, naming the URL without its query", async () => {
    api.routes.set("/exact", (_req, res) => res.writeHead(200).end(Buffer.alloc(100 * KIB, "a")));
    expect((await (await bounded(`${api.url}/exact`)).arrayBuffer()).byteLength).toBe(100 * KIB);
    api.routes.set("/over", (_req, res) => res.writeHead(200).end(Buffer.alloc(100 * KIB + 1, "a")));
    const error = await bounded(`${api.url}/over?key=secret`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ status: 200, maxBytes: 100 * KIB, url: `${api.url}/over` });
    expect(String((error as Error).message)).not.toContain("secret");
  });

  it("stops reading a streamed answer at the bound and cuts the connection", async () => {
    let written = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    api.routes.set("/endless", (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.on("close", closed);
      const chunk = Buffer.alloc(16 * KIB, "x");
      // An answer that would go on for 64 MiB: only the client's cut ends it early.
      const more = () => {
        while (written < 64 * 1024 * KIB && !res.destroyed) {
          written += chunk.byteLength;
          if (!res.write(chunk)) return res.once("drain", more);
        }
        res.end();
      };
      more();
    });
    await expect(bounded(`${api.url}/endless`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    await connectionClosed;
    expect(written).toBeLessThan(64 * 1024 * KIB);
  });

  it("refuses a declared content-length over the bound before its body arrives", async () => {
    api.routes.set("/declared", (_req, res) => {
      // Headers only: the body never comes, so only the declared length can fail the request.
      res.writeHead(200, { "content-length": String(10 * 1024 * KIB) });
      res.flushHeaders();
    });
    await expect(bounded(`${api.url}/declared`)).rejects.toMatchObject({ name: "ResponseTooLargeError" });
  });

  it("bounds the decoded body: a small gzip that inflates past the bound is refused, by default too", async () => {
    const bomb = gzipSync(Buffer.alloc(DEFAULT_MAX_RESPONSE_BYTES + KIB));
    expect(bomb.byteLength).toBeLessThan(100 * KIB);
    api.routes.set("/bomb", (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(bomb));
    await expect(bounded(`${api.url}/bomb`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(nodeHttpFetch(`${api.url}/bomb`)).rejects.toMatchObject({
      name: "ResponseTooLargeError",
      maxBytes: DEFAULT_MAX_RESPONSE_BYTES,
    });
  });

  it("bounds an answer from the global fetch it hands a request to", async () => {
    const data = `data:text/plain,${"a".repeat(200 * KIB)}`;
    await expect(bounded(data)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(await (await createNodeHttpFetch({ maxResponseBytes: 300 * KIB })(data)).text()).toHaveLength(
      200 * KIB,
    );
  });
});
