import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback HTTP server that holds every request until the test releases it, so an `http.request` step stays
 * in progress for as long as the test wants: what is running at any moment is what the service started.
 */
export interface HeldHttpServer {
  url: string;
  /** The `n` query parameter of every request, in arrival order. */
  arrivals: string[];
  /** Requests answered by nobody yet. */
  readonly held: number;
  /** The most requests held at once. */
  readonly mostAtOnce: number;
  /** Answers the oldest held request with `{ n }` and returns its `n`. */
  releaseOldest(): string;
  releaseAll(): void;
  close(): Promise<void>;
}

export async function startHeldHttpServer(): Promise<HeldHttpServer> {
  const arrivals: string[] = [];
  const waiting: { n: string; response: ServerResponse }[] = [];
  let mostAtOnce = 0;
  const server = createServer((request, response) => {
    const n = new URL(request.url ?? "/", "http://127.0.0.1").searchParams.get("n") ?? "";
    arrivals.push(n);
    waiting.push({ n, response });
    mostAtOnce = Math.max(mostAtOnce, waiting.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const answer = ({ n, response }: { n: string; response: ServerResponse }) => {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ n }));
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    get held() {
      return waiting.length;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    releaseOldest() {
      const oldest = waiting.shift();
      if (!oldest) throw new Error("no request is held");
      answer(oldest);
      return oldest.n;
    },
    releaseAll() {
      for (const request of waiting.splice(0)) answer(request);
    },
    async close() {
      for (const request of waiting.splice(0)) answer(request);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
