import type { ProviderEmulator } from "@autoflow/core";
import { clockFromOptions, type EmulatorClock } from "../shared/emulator-clock";
import { EmulatorServer } from "../shared/emulator-server";
import { HttpEmulator, type HttpFault } from "../shared/http-emulator";
import type { TokenInfo } from "../shared/oauth-authority";
import { serviceEnv } from "../shared/service-env";
import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import { chatMethods } from "./chat-methods";
import { conversationsMethods } from "./conversations-methods";
import { filesMethods, receiveUpload } from "./files-methods";
import { addReaction, reactionsMethods } from "./reactions-methods";
import { SlackApiError, SlackArgs, type SlackMethod, type SlackSubject } from "./slack-call";
import { eventsFor } from "./slack-event-builder";
import {
  type SlackEventAttempt,
  type SlackEventRecord,
  type SlackEventSubscription,
  SlackEventsApi,
  type SlackEventsConfig,
  type SlackSendEventOptions,
} from "./slack-events-api";
import { ALL_SCOPES, SlackOAuth } from "./slack-oauth";
import { METHOD_SCOPES } from "./slack-scopes";
import { slackDescription, slackDescriptionOutdated, slackInvalidArguments } from "./slack-spec";
import {
  APP_ID,
  BOT,
  type SlackEphemeralMessage,
  type SlackMessage,
  SlackWorkspace,
  TEAM,
} from "./slack-workspace";
import { usersMethods } from "./users-methods";

export interface SlackEmulatorOptions {
  /** Fixed port; a free one by default. */
  port?: number;
  /** The OAuth app's client id. Default `1000.2000`. */
  clientId?: string;
  /** Default `emulator-client-secret`. */
  clientSecret?: string;
  /** Token rotation: `oauth.v2.access` returns expiring `xoxe.xoxb-` tokens with `refresh_token` and `expires_in`. */
  tokenRotation?: boolean;
  /**
   * Times rate-limit windows, token expiry, message `ts` and `X-Slack-Request-Timestamp`. Default the
   * wall clock. A test that sends events to a verifier gives it the same clock (the server's `clock`
   * option), or signatures more than 5 minutes from the verifier's time are refused as stale.
   */
  clock?: EmulatorClock;
  /** @deprecated Use `clock`. */
  now?: () => number;
  /**
   * Arguments to an emulated method that break Slack's description: `refuse` (default) answers `invalid_arguments`,
   * `record` only adds them to `requestViolations`. Described methods the emulator does not emulate are always refused.
   */
  requestValidation?: "refuse" | "record";
}

const API_PATH = /^\/api\//;

const METHODS: Readonly<Record<string, SlackMethod>> = {
  ...chatMethods,
  ...conversationsMethods,
  ...usersMethods,
  ...reactionsMethods,
  ...filesMethods,
  "auth.test": (call) => ({
    url: `https://${TEAM.domain}.slack.com/`,
    team: TEAM.name,
    user: call.workspace.users.get(call.actor)?.name ?? call.actor,
    team_id: call.token.subject.teamId,
    user_id: call.actor,
    bot_id: call.token.subject.botId,
    is_enterprise_install: false,
  }),
};

function platformError(error: string, extra: Record<string, unknown> = {}): EmulatorResponse {
  return { status: 200, body: { ok: false, error, ...extra } };
}

// Slack's edge answers 5xx with an HTML page, not the Web API's JSON.
function edgeError(status: number, title: string): EmulatorResponse {
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: `<html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`,
  };
}

const PLATFORM_FAULTS: Record<HttpFault, EmulatorResponse> = {
  unauthorized: platformError("invalid_auth"),
  forbidden: platformError("missing_scope", { needed: "chat:write", provided: "channels:read" }),
  "not-found": platformError("channel_not_found"),
  "invalid-input": platformError("invalid_arguments"),
  "rate-limited": {
    status: 429,
    headers: { "retry-after": "30" },
    body: { ok: false, error: "ratelimited" },
  },
  "server-error": edgeError(500, "Internal Server Error"),
  "bad-gateway": edgeError(502, "Bad Gateway"),
  unavailable: edgeError(503, "Service Unavailable"),
};

/**
 * The Slack Web API on 127.0.0.1: `POST /api/<method>` (form or JSON body, token in the
 * `Authorization` header or a `token` field), HTTP 200 with `{ ok }` for every answer but rate limits
 * (429 + `Retry-After`), the OAuth v2 endpoints, the file upload URL, and a workspace whose state
 * behaves (a posted message is in `conversations.history`).
 */
export class SlackEmulator extends HttpEmulator implements ProviderEmulator {
  readonly server: EmulatorServer;
  // Faults hit the Web API, not the OAuth pages: a test of a failing call can still connect.
  protected override readonly faultScope = { path: API_PATH };
  readonly workspace: SlackWorkspace;
  readonly oauth: SlackOAuth;
  readonly clientId: string;
  readonly clientSecret: string;
  private readonly eventsApi: SlackEventsApi;

  constructor(options: SlackEmulatorOptions = {}) {
    super();
    this.clientId = options.clientId ?? "1000.2000";
    this.clientSecret = options.clientSecret ?? "emulator-client-secret";
    const clock = clockFromOptions(options);
    const now = () => clock.now();
    this.workspace = new SlackWorkspace(now);
    // Event retries wait on the emulator's clock: a manual clock fires them when a test advances it.
    this.eventsApi = new SlackEventsApi(clock);
    this.workspace.onChange = (change) => {
      for (const event of eventsFor(this.workspace, change)) this.eventsApi.publish(event);
    };
    this.oauth = new SlackOAuth({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      tokenRotation: options.tokenRotation ?? false,
      now,
    });
    this.server = new EmulatorServer({
      name: "slack",
      clock,
      ...(options.port !== undefined && { port: options.port }),
      rateLimitResponse: ({ retryAfterSeconds }) => ({
        status: 429,
        headers: { "retry-after": String(retryAfterSeconds) },
        body: { ok: false, error: "ratelimited" },
      }),
      // A Web API method neither emulated nor described answers as Slack answers a method it does not have.
      notFoundResponse: (request) =>
        API_PATH.test(request.path)
          ? platformError("unknown_method")
          : { status: 404, headers: { "content-type": "text/plain" }, body: "Not Found" },
      spec: {
        description: slackDescription(),
        matchPathOnly: true,
        formArguments: true,
        credentialParameters: ["token"],
        refuse: (request) => {
          const token = this.oauth.resolve(request.bearer ?? argumentsOf(request).string("token"));
          return "error" in token ? platformError(token.error) : undefined;
        },
        invalid: slackInvalidArguments,
        allow: slackDescriptionOutdated,
        ...(options.requestValidation && { requestValidation: options.requestValidation }),
      },
    });
    // One route per emulated method: the methods Slack describes and no route serves get the spec fallback.
    for (const method of [...Object.keys(METHODS), "oauth.v2.access", "api.test", "auth.revoke"]) {
      this.server.route("*", `/api/${method}`, (request) => this.call(request, method));
    }
    this.server.route("GET", "/oauth/v2/authorize", (request) => this.oauth.authorize(request));
    this.server.route("POST", "/upload/v1/:fileId", (request) => receiveUpload(this.workspace, request));
  }

  /** Stops the server and abandons pending event retries. */
  override stop(): Promise<void> {
    this.eventsApi.close();
    return super.stop();
  }

  /** The WebClient's `slackApiUrl`. */
  override get apiUrl(): string {
    return `${this.server.url}/api/`;
  }

  /** The variables that point the connection service at this emulator: API and web URLs, and the OAuth app. */
  env(prefix = "AUTOFLOW_SLACK_"): Record<string, string> {
    return serviceEnv(prefix, {
      apiUrl: this.apiUrl,
      webUrl: this.webUrl,
      oauthClient: { clientId: this.clientId, clientSecret: this.clientSecret },
    });
  }

  /** Where an OAuth flow sends the user. */
  get authorizeUrl(): string {
    return `${this.server.url}/oauth/v2/authorize`;
  }

  /**
   * A bot token for the Acme workspace, as if the app had just been installed. All scopes unless given, as a list or,
   * the same way every emulator takes them, as `{ scopes }`.
   */
  mintToken(scopes: readonly string[] | { scopes?: readonly string[] } = ALL_SCOPES): string {
    const granted = Array.isArray(scopes)
      ? scopes
      : ((scopes as { scopes?: readonly string[] }).scopes ?? ALL_SCOPES);
    return this.oauth.mint(granted).accessToken;
  }

  /** Every refresh token stops working, as when a user removes the app: the next refresh answers `invalid_refresh_token`. */
  invalidateRefreshTokens(): void {
    this.oauth.authority.revokeRefreshTokens(() => true);
  }

  /** How many `grant_type=refresh_token` exchanges `oauth.v2.access` has answered. */
  get refreshRequestCount(): number {
    return this.requests.filter(
      (r) =>
        r.path === "/api/oauth.v2.access" &&
        (r.body as { grant_type?: unknown } | undefined)?.grant_type === "refresh_token",
    ).length;
  }

  /** The channel's top-level messages, newest first, as `conversations.history` lists them. */
  history(channel: string): SlackMessage[] {
    const found = this.workspace.findChannel(channel);
    return found ? this.workspace.history(found.id) : [];
  }

  /** Puts a message straight into a channel (by default from the app's bot user), to set up a test; sends no event. */
  seedMessage(channel: string, text: string, user: string = BOT.userId): SlackMessage {
    const found = this.workspace.findChannel(channel);
    if (!found) throw new Error(`No channel ${channel} in the emulated workspace`);
    const message: SlackMessage = { type: "message", ts: this.workspace.nextTs(), user, text, team: TEAM.id };
    if (user === BOT.userId) Object.assign(message, { bot_id: BOT.botId, app_id: APP_ID });
    this.workspace.messagesIn(found.id).push(message);
    return message;
  }

  /**
   * A person posts a message, as if typed in the Slack client: with Event Subscriptions configured,
   * the app gets a `message` event (and `app_mention` when `text` mentions `<@U0BOT>`).
   */
  userSays(channel: string, text: string, user = "U0001"): SlackMessage {
    const found = this.workspace.findChannel(channel);
    if (!found) throw new Error(`No channel ${channel} in the emulated workspace`);
    if (!this.workspace.users.get(user) || user === BOT.userId) {
      throw new Error(`userSays: ${user} is not a person in the emulated workspace`);
    }
    const message: SlackMessage = { type: "message", ts: this.workspace.nextTs(), user, text, team: TEAM.id };
    this.workspace.messagesIn(found.id).push(message);
    this.workspace.emit({ type: "message", channel: found.id, message });
    return message;
  }

  /** A person adds a reaction to a message: the app gets a `reaction_added` event. */
  userReacts(channel: string, ts: string, reaction: string, user = "U0001"): void {
    const found = this.workspace.findChannel(channel);
    const message = found && this.workspace.findMessage(found.id, ts);
    if (!found || !message) throw new Error(`No message ${ts} in ${channel}`);
    addReaction(this.workspace, found.id, message, reaction, user);
  }

  /**
   * The app's Event Subscriptions: Slack first sends the request URL a signed `url_verification`
   * challenge and saves the URL only when it is answered (`verified`); from then on, posted messages,
   * reactions and mentions are POSTed there as signed `event_callback` envelopes.
   */
  configureEvents(config: SlackEventsConfig): Promise<SlackEventSubscription> {
    return this.eventsApi.configure(config);
  }

  /** The Event Subscriptions as saved, with whether the request URL was verified. */
  get eventSubscription(): SlackEventSubscription {
    return this.eventsApi.subscription;
  }

  /** The Events API delivery log, oldest first, with every attempt and its answer. */
  get events(): readonly SlackEventRecord[] {
    return this.eventsApi.log;
  }

  /** Sends a logged event again, `times` times, with `X-Slack-Retry-Num` as Slack's retries do. */
  redeliverEvent(eventId: string, times = 1): Promise<SlackEventAttempt[]> {
    return this.eventsApi.redeliver(eventId, times);
  }

  /** Sends one event now: with a bad or missing signature, a stale timestamp or a reused `eventId` on request. */
  sendEvent(options: SlackSendEventOptions): Promise<SlackEventAttempt & { eventId: string }> {
    return this.eventsApi.send(options);
  }

  /** Resolves when every event delivery started so far, retries included, has finished. */
  awaitEvents(): Promise<void> {
    return this.eventsApi.settle();
  }

  /** Ephemeral messages posted so far (they never appear in history). */
  get ephemeral(): readonly SlackEphemeralMessage[] {
    return this.workspace.ephemeral;
  }

  /** Slack's answer to each standard fault: `ok: false` platform errors, and its edge's for 5xx. */
  protected faultAnswer(fault: HttpFault): EmulatorResponse {
    return PLATFORM_FAULTS[fault];
  }

  /** The Slack app's OAuth client, as the connection service is configured with it. */
  get oauthClient(): { clientId: string; clientSecret: string } {
    return { clientId: this.clientId, clientSecret: this.clientSecret };
  }

  /** The token stops working at once (`token_revoked`), as after `auth.revoke` or an uninstall. False if unknown. */
  revokeToken(token: string): boolean {
    if ("error" in this.oauth.resolve(token)) return false;
    this.oauth.revoke(token, false);
    return true;
  }

  /**
   * Back to the seeded workspace between tests: messages, channels, files and scheduled messages created since are
   * gone, faults and rate limits cleared, the request log emptied. Tokens minted so far keep working; events
   * already sent stay in the event log.
   */
  async reset(): Promise<void> {
    this.workspace.reset();
    this.server.clearLog();
    await this.clearFaults();
  }

  /** At most `perWindow` Web API calls per `windowMs`; beyond that 429 with Slack's `Retry-After`. */
  rateLimit(perWindow: number, windowMs: number): void {
    this.server.faults.rateLimit({ limit: perWindow, windowMs, match: { path: API_PATH } });
  }

  private call(request: EmulatorRequest, method: string): EmulatorResponse {
    const args = argumentsOf(request);
    const values = args.values;
    try {
      if (method === "oauth.v2.access") return ok(this.oauth.access(args, request.headers.authorization));
      if (method === "api.test") {
        const error = args.string("error");
        if (error) throw new SlackApiError(error);
        return ok({ args: values });
      }
      const handler = METHODS[method];
      if (!handler && method !== "auth.revoke") throw new SlackApiError("unknown_method");

      const rawToken = request.bearer ?? args.string("token");
      const token = this.oauth.resolve(rawToken);
      if ("error" in token) throw new SlackApiError(token.error);
      const scopeHeaders = { "x-oauth-scopes": token.scopes.join(",") };
      if (method === "auth.revoke") {
        return ok(this.oauth.revoke(token.accessToken, args.bool("test")), scopeHeaders);
      }
      const needed = METHOD_SCOPES[method];
      if (needed && !token.scopes.includes(needed)) {
        throw new SlackApiError("missing_scope", { needed, provided: token.scopes.join(",") });
      }
      const headers = { ...scopeHeaders, ...(needed && { "x-accepted-oauth-scopes": needed }) };
      return ok(this.invoke(handler, args, token), headers);
    } catch (error) {
      if (error instanceof SlackApiError) return platformError(error.error, error.extra);
      throw error;
    }
  }

  private invoke(
    handler: SlackMethod | undefined,
    args: SlackArgs,
    token: TokenInfo<SlackSubject>,
  ): Record<string, unknown> {
    if (!handler) throw new SlackApiError("unknown_method");
    return handler({
      args,
      token,
      workspace: this.workspace,
      actor: token.subject.botUserId,
      baseUrl: this.server.url,
    });
  }
}

/** A method's arguments: the query and the form or JSON body as one set. */
function argumentsOf(request: EmulatorRequest): SlackArgs {
  const values: Record<string, unknown> = { ...Object.fromEntries(request.query) };
  if (typeof request.body === "object" && request.body !== null) Object.assign(values, request.body);
  return new SlackArgs(values);
}

function ok(fields: Record<string, unknown>, headers: Record<string, string> = {}): EmulatorResponse {
  return { status: 200, headers, body: { ok: true, ...fields } };
}
