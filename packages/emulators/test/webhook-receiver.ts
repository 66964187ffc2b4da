import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the receiver got it. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers a request. */
export type WebhookReceiverAnswer = { status: number; body?: string; headers?: Record<string, string> };

/**
 * A webhook intake on 127.0.0.1 for the tests: records every request and answers as `answer` says; an answer
 * may be a promise, to hold it past the sender's timeout.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      this.received.push(request);
      const { status, body, headers } = await this.answer(request, this.received.length - 1);
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "text/plain", ...headers });
      res.end(body ?? "");
    });
  });

  constructor(
    public answer: (
      request: ReceivedWebhook,
      index: number,
    ) => WebhookReceiverAnswer | Promise<WebhookReceiverAnswer> = () => ({ status: 200, body: "ok" }),
    private readonly path = "/webhooks",
  ) {}

  /** Listens on a free port; resolves to the URL to deliver to. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.path}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
