import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StandardFault } from "../../src/testing/standard-faults";

/** A loopback server for the Echo fixture integration: echoes JSON bodies, and fails on demand like a provider would. */
export class EchoServer {
  private server: Server | undefined;
  private fault: StandardFault | undefined;
  private closedPort: number | undefined;
  requests = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests++;
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => this.answer(body, req.headers.authorization ?? "", res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    this.closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://127.0.0.1:${address?.port}`;
  }

  /** Where nothing listens: the Echo client is pointed here for `connection-refused`. */
  get refusedUrl(): string {
    return `http://127.0.0.1:${this.closedPort}`;
  }

  inject(fault: StandardFault | undefined): void {
    this.fault = fault;
  }

  get currentFault(): StandardFault | undefined {
    return this.fault;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private answer(body: string, auth: string, res: import("node:http").ServerResponse): void {
    const fixed: Partial<Record<StandardFault, [number, string, Record<string, string>?]>> = {
      unauthorized: [401, "Bad credentials"],
      forbidden: [403, "Missing scope"],
      "not-found": [404, "Not Found"],
      "invalid-input": [422, "Validation Failed"],
      "rate-limited": [429, "Slow down", { "retry-after": "30" }],
      "server-error": [500, "boom"],
      "bad-gateway": [502, "bad gateway"],
      unavailable: [503, "unavailable"],
    };
    const failure = this.fault && fixed[this.fault];
    if (failure) {
      const [status, message, headers] = failure;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify({ message }));
      return;
    }
    switch (this.fault) {
      case "connection-reset":
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      case "timeout":
        return; // never answers
      case "answer-lost":
        // Handled (a message would be stored here), then the answer never arrives.
        res.socket?.destroy();
        return;
      default:
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            path: "/messages",
            body: JSON.parse(body || "null"),
            auth: auth.replace(/^Bearer /, ""),
          }),
        );
    }
  }
}
