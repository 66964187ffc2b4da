import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";

/** One request the server received: its path and headers. */
export interface SeenRequest {
  url: string;
  headers: IncomingHttpHeaders;
}

/** A real loopback HTTP server a test scripts answer by answer; unscripted requests get `{"ok":true}`. */
export interface ScriptedServer {
  readonly port: number;
  /** Every request since the test began, in order. */
  readonly seen: SeenRequest[];
  /** Connections accepted since the test began. */
  readonly connections: number;
  /** The next answers, used in order, one per request. */
  readonly script: ((req: IncomingMessage, res: ServerResponse) => void)[];
}

/**
 * Starts a scripted loopback server for the enclosing file or `describe` (started before its tests, closed after,
 * reset before each). `closeEachConnection` answers every default request with `Connection: close`, so each
 * request is a new dial (and a new DNS lookup an egress check sees).
 */
export function useScriptedServer(options: { closeEachConnection?: boolean } = {}): ScriptedServer {
  let server: Server;
  let port = 0;
  let connections = 0;
  const seen: SeenRequest[] = [];
  const script: ScriptedServer["script"] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        seen.push({ url: req.url ?? "", headers: req.headers });
        const answer = script.shift();
        if (answer) return answer(req, res);
        res
          .writeHead(200, {
            "content-type": "application/json",
            ...(options.closeEachConnection && { connection: "close" }),
          })
          .end('{"ok":true}');
      });
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    script.length = 0;
    connections = 0;
  });
  return {
    get port() {
      return port;
    },
    seen,
    get connections() {
      return connections;
    },
    script,
  };
}
