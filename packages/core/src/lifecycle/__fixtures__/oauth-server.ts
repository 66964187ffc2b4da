import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { errorFromResponse, toIntegrationError } from "../../classify";
import type { Clock } from "../../runtime/clock";
import { createTestClock } from "../../testing/test-clock";
import { type ConnectionStore, MemoryConnectionStore, type StoredConnection } from "../connection-store";
import { ConnectorLifecycle } from "../connector-lifecycle";
import { createOAuth2 } from "../oauth2";

/** One request the server received, its form body decoded. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
}

/** What a route answers: a JSON body unless `text` is given. */
export interface FixtureAnswer {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export type FixtureRoute = (request: RecordedRequest) => FixtureAnswer | Promise<FixtureAnswer>;

/** A tiny HTTP server on 127.0.0.1 whose answers each test sets: the provider side of an OAuth flow, for real. */
export class OAuthFixtureServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, FixtureRoute>();
  private readonly server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const request: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      this.requests.push(request);
      const route = this.routes.get(`${request.method} ${request.path}`);
      const answer: FixtureAnswer = route
        ? await route(request)
        : { status: 404, json: { error: "not_found" } };
      const text = answer.text ?? JSON.stringify(answer.json ?? {});
      res.writeHead(answer.status ?? 200, {
        "content-type": answer.text === undefined ? "application/json" : "text/plain",
        ...answer.headers,
      });
      res.end(text);
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Sets what `METHOD /path` answers, replacing the previous route. */
  route(method: string, path: string, route: FixtureRoute): void {
    this.routes.set(`${method} ${path}`, route);
  }

  /** The requests to one path, oldest first. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }
}

/**
 * A provider whose refresh tokens rotate and are single use, as Atlassian's do: every refresh answers a
 * new access token and a new refresh token, and a refresh token used once is refused with invalid_grant.
 * Codes are bound to a PKCE challenge. `GET /me` accepts only the live access tokens.
 */
export class RotatingProvider {
  private counter = 0;
  private readonly codes = new Map<string, string>();
  private readonly accessTokens = new Set<string>();
  /** Live refresh token -> the access token it was issued with. */
  private readonly refreshTokens = new Map<string, string>();

  constructor(
    readonly server: OAuthFixtureServer,
    readonly expiresInSeconds = 3600,
  ) {
    server.route("POST", "/token", (request) => this.token(request));
    server.route("GET", "/me", (request) => {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
      return token && this.accessTokens.has(token)
        ? { json: { id: "acct-1" } }
        : { status: 401, json: { error: "invalid_token" } };
    });
  }

  /** What the consent page would do: a code bound to the authorize URL's PKCE challenge. */
  consent(authUrl: string): { code: string; state: string } {
    const url = new URL(authUrl);
    const code = `code-${++this.counter}`;
    this.codes.set(code, url.searchParams.get("code_challenge") ?? "");
    return { code, state: url.searchParams.get("state") ?? "" };
  }

  /** How many refresh-token grants were asked for (answered or refused). */
  get refreshRequests(): number {
    return this.server.requestsTo("/token").filter((r) => r.form.grant_type === "refresh_token").length;
  }

  isLiveRefreshToken(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  /** Every refresh token stops working, as when the user removes the app. */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  private token(request: { form: Record<string, string> }): FixtureAnswer {
    const { form } = request;
    if (form.client_id !== "client-1" || form.client_secret !== "secret-1") {
      return { status: 401, json: { error: "invalid_client" } };
    }
    if (form.grant_type === "authorization_code") {
      const challenge = this.codes.get(form.code ?? "");
      this.codes.delete(form.code ?? "");
      const verified =
        challenge !== undefined &&
        createHash("sha256")
          .update(form.code_verifier ?? "")
          .digest("base64url") === challenge;
      return verified ? this.issue() : { status: 400, json: { error: "invalid_grant" } };
    }
    if (form.grant_type === "refresh_token") {
      const access = this.refreshTokens.get(form.refresh_token ?? "");
      if (access === undefined) {
        return { status: 400, json: { error: "invalid_grant", error_description: "refresh token reused" } };
      }
      this.refreshTokens.delete(form.refresh_token ?? "");
      this.accessTokens.delete(access);
      return this.issue();
    }
    return { status: 400, json: { error: "unsupported_grant_type" } };
  }

  private issue(): FixtureAnswer {
    const n = ++this.counter;
    const accessToken = `access-${n}`;
    const refreshToken = `refresh-${n}`;
    this.accessTokens.add(accessToken);
    this.refreshTokens.set(refreshToken, accessToken);
    return {
      json: {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: this.expiresInSeconds,
        refresh_token: refreshToken,
        scope: "read write",
      },
    };
  }
}

/** A lifecycle for the rotating provider: OAuth through `createOAuth2`, `GET /me` to describe a token, API keys too. */
export function rotatingLifecycle(
  provider: RotatingProvider,
  store: ConnectionStore,
  clock: Clock,
): ConnectorLifecycle<"oauth2" | "api_key", { accountId: string }> {
  const base = provider.server.url;
  return new ConnectorLifecycle(
    {
      provider: "rotating",
      oauthAuthMethod: "oauth2",
      apiKeyAuthMethod: "api_key",
      oauth: createOAuth2({
        provider: "rotating",
        authorizeUrl: `${base}/authorize`,
        tokenUrl: `${base}/token`,
        defaultScopes: ["read", "write"],
        clock,
      }),
      async describe(credential) {
        const response = await fetch(`${base}/me`, {
          headers: { authorization: `Bearer ${credential.accessToken}` },
        });
        if (!response.ok) throw errorFromResponse({ provider: "rotating", status: response.status });
        const { id } = (await response.json()) as { id: string };
        return { metadata: { accountId: id }, test: { accountId: id } };
      },
      toIntegrationError: (error) => toIntegrationError(error, "rotating", clock.now()),
    },
    {
      store,
      clock,
      oauthClient: { clientId: "client-1", clientSecret: "secret-1", redirectUri: "http://127.0.0.1/cb" },
    },
  );
}

/** A rotating-provider lifecycle with one OAuth connection of `user-1`, on a test clock; `stored()` reads it back. */
export async function connectedRotating(provider: RotatingProvider) {
  const store = new MemoryConnectionStore();
  const clock = createTestClock(Date.UTC(2026, 0, 1));
  const lifecycle = rotatingLifecycle(provider, store, clock);
  const started = lifecycle.beginOAuth("user-1");
  const { id } = await lifecycle.completeOAuth({ ...provider.consent(started.authUrl), userId: "user-1" });
  const stored = async () => {
    const connection = await store.getConnection(id);
    if (!connection) throw new Error("connection missing");
    return connection as StoredConnection<"oauth2" | "api_key", { accountId: string }>;
  };
  return { store, clock, lifecycle, stored };
}
