import type { IncomingMessage, ServerResponse } from "node:http";
import { handleWebhook, type WebhookHandlerOptions } from "./webhook-handler";

/**
 * The intake as a Node `(req, res)` handler, for Express (`app.post("/webhooks/acme",
 * nodeWebhookHandler(...))`, mounted before any body parser) and Fastify (in a route with
 * `req.raw`/`reply.raw`). Reads the raw bytes itself and stops reading past the size limit.
 */
export function nodeWebhookHandler(
  options: WebhookHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit && !refused) {
        refused = true;
        reply(413, { ok: false, error: "too_large" });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      // The path and query as received (the host does not matter to a verifier): a URL token is in the query.
      const url = new URL(req.url ?? "/", "http://localhost");
      handleWebhook(options, headers, Buffer.concat(chunks), url).then(
        ({ status, body }) => reply(status, body),
        () => reply(500, { ok: false, error: "internal" }),
      );
    });
  };
}
