import { createHmac, randomUUID } from "node:crypto";
import type { GithubHook, GithubRepo, GithubState } from "./github-state";

/** GitHub's delivery agent names itself `GitHub-Hookshot/<short sha>`. */
export const HOOKSHOT_USER_AGENT = "GitHub-Hookshot/e9dec5f";

/** GitHub gives a hook 10 seconds to answer before it records the delivery as failed. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

/** One POST of a webhook delivery to a hook's URL, as sent and as answered. */
export interface GithubDelivery {
  /** `X-GitHub-Delivery`: a redelivery keeps it. */
  id: string;
  hookId: number;
  /** `owner/name` of the repository the hook belongs to. */
  repository: string;
  event: string;
  action?: string;
  url: string;
  /** The headers as sent (the signature, never the secret). */
  headers: Record<string, string>;
  /** The exact body bytes that were signed, as text. */
  body: string;
  /** True for `redeliver()`: the same id and body sent again, as a provider retry. */
  redelivery: boolean;
  /** The receiver's HTTP status; `undefined` while in flight or when no answer came. */
  status?: number;
  responseBody?: string;
  /** Why no answer came (connection refused, timed out). */
  error?: string;
  sentAt: number;
  durationMs?: number;
}

/** How a test delivery's signature is spoiled: signed with a wrong secret, not `sha256=<hex>`, or absent. */
export type GithubSignatureSpoiler = "bad" | "malformed" | "missing";

/** A delivery a test sends by hand: any event and payload, optionally with a spoiled signature or a reused id. */
export interface GithubManualDelivery {
  event: string;
  payload: Record<string, unknown>;
  signature?: GithubSignatureSpoiler;
  /** Reuse an id (a replay); default a fresh UUID. */
  deliveryId?: string;
}

/** Where state changes announce themselves; routes call it, the emulator delivers. */
export interface WebhookSink {
  /** Delivers `event` to every active hook of `repo` subscribed to it (or to `*`). */
  emit(repo: GithubRepo, event: string, payload: Record<string, unknown>): void;
  /** Delivers to one hook whatever its events (GitHub's `ping` on creation). */
  emitTo(repo: GithubRepo, hook: GithubHook, event: string, payload: Record<string, unknown>): void;
}

/**
 * The emulator's webhook delivery agent: signs each body with the hook's secret (HMAC-SHA256 over the
 * exact bytes sent), POSTs it asynchronously, and logs every attempt with the receiver's answer.
 */
export class GithubWebhookDeliveries implements WebhookSink {
  /** Every delivery attempt, oldest first. */
  readonly log: GithubDelivery[] = [];
  private readonly inflight = new Set<Promise<GithubDelivery>>();
  private stopping = new AbortController();

  constructor(
    private readonly state: GithubState,
    private readonly timeoutMs: number = DEFAULT_DELIVERY_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  emit(repo: GithubRepo, event: string, payload: Record<string, unknown>): void {
    for (const hook of repo.hooks) {
      if (hook.active && (hook.events.includes(event) || hook.events.includes("*"))) {
        this.emitTo(repo, hook, event, payload);
      }
    }
  }

  emitTo(repo: GithubRepo, hook: GithubHook, event: string, payload: Record<string, unknown>): void {
    void this.send(this.prepare(repo, hook, { event, payload }));
  }

  /** Sends `times` more POSTs with the same delivery id, headers and body; resolves when all are answered. */
  redeliver(deliveryId: string, times = 1): Promise<GithubDelivery[]> {
    const original = this.log.find((d) => d.id === deliveryId && !d.redelivery);
    if (!original) return Promise.reject(new Error(`no delivery "${deliveryId}"`));
    return Promise.all(
      Array.from({ length: times }, () =>
        this.send({
          id: original.id,
          hookId: original.hookId,
          repository: original.repository,
          event: original.event,
          ...(original.action !== undefined && { action: original.action }),
          url: original.url,
          headers: { ...original.headers },
          body: original.body,
          redelivery: true,
          sentAt: this.now(),
        }),
      ),
    );
  }

  /** Sends one hand-made delivery to a hook; resolves when it is answered. */
  sendDelivery(hookId: number, delivery: GithubManualDelivery): Promise<GithubDelivery> {
    const { repo, hook } = this.hookById(hookId);
    return this.send(this.prepare(repo, hook, delivery));
  }

  /** Sends `count` distinct deliveries at once (a burst); resolves when all are answered. */
  sendBurst(
    hookId: number,
    burst: { event: string; count: number; payload: (index: number) => Record<string, unknown> },
  ): Promise<GithubDelivery[]> {
    const { repo, hook } = this.hookById(hookId);
    return Promise.all(
      Array.from({ length: burst.count }, (_, index) =>
        this.send(this.prepare(repo, hook, { event: burst.event, payload: burst.payload(index) })),
      ),
    );
  }

  /** Resolves once every delivery sent so far (and any sent meanwhile) has been answered or has failed. */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Aborts whatever is in flight (the emulator is stopping) and waits for it to be recorded. */
  async abort(): Promise<void> {
    this.stopping.abort();
    await this.settle();
    this.stopping = new AbortController();
  }

  private hookById(hookId: number): { repo: GithubRepo; hook: GithubHook } {
    for (const repo of this.state.repos.values()) {
      const hook = repo.hooks.find((h) => h.id === hookId);
      if (hook) return { repo, hook };
    }
    throw new Error(`no webhook ${hookId}`);
  }

  /** Serializes the payload once, so the bytes signed are the bytes sent and a redelivery resends them. */
  private prepare(repo: GithubRepo, hook: GithubHook, delivery: GithubManualDelivery): GithubDelivery {
    const json = JSON.stringify(delivery.payload);
    const form = hook.config.content_type === "form";
    const body = form ? `payload=${encodeURIComponent(json)}` : json;
    const id = delivery.deliveryId ?? randomUUID();
    const headers: Record<string, string> = {
      "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
      "user-agent": HOOKSHOT_USER_AGENT,
      "x-github-event": delivery.event,
      "x-github-delivery": id,
      "x-github-hook-id": String(hook.id),
      "x-github-hook-installation-target-type": "repository",
      "x-github-hook-installation-target-id": String(repo.id),
      ...signatureHeaders(hook.config.secret, body, delivery.signature),
    };
    const action = delivery.payload.action;
    return {
      id,
      hookId: hook.id,
      repository: `${repo.owner}/${repo.name}`,
      event: delivery.event,
      ...(typeof action === "string" && { action }),
      url: hook.config.url ?? "",
      headers,
      body,
      redelivery: false,
      sentAt: this.now(),
    };
  }

  private send(delivery: GithubDelivery): Promise<GithubDelivery> {
    this.log.push(delivery);
    const sending = this.post(delivery);
    this.inflight.add(sending);
    void sending.finally(() => this.inflight.delete(sending));
    return sending;
  }

  private async post(delivery: GithubDelivery): Promise<GithubDelivery> {
    // Fire and forget, as GitHub does: the API answer that caused the event never waits for this.
    await new Promise((resolve) => setImmediate(resolve));
    // Real time, not the emulator clock: this measures how long the receiver really took.
    const started = performance.now();
    if (!isLoopback(delivery.url)) {
      delivery.error = "not sent: the emulator delivers to loopback addresses only";
      return delivery;
    }
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stopping.signal]),
      });
      delivery.status = response.status;
      delivery.responseBody = (await response.text()).slice(0, 2_000);
    } catch (error) {
      delivery.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    delivery.durationMs = Math.round(performance.now() - started);
    return delivery;
  }
}

/** Tests must not reach the network: a hook pointing elsewhere (`https://example.com/hook`) is logged, never called. */
function isLoopback(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
  } catch {
    return false;
  }
}

/** `X-Hub-Signature-256` (and the legacy SHA-1 `X-Hub-Signature`) over the body, or a spoiled one for tests. */
function signatureHeaders(
  secret: string | undefined,
  body: string,
  spoiler: GithubSignatureSpoiler | undefined,
): Record<string, string> {
  if (spoiler === "missing") return {};
  if (spoiler === "malformed") return { "x-hub-signature-256": "sha256=not-a-signature" };
  // A hook without a secret gets unsigned deliveries, as on GitHub; "bad" signs with a secret nobody has.
  const key = spoiler === "bad" ? `wrong-${secret ?? "secret"}` : secret;
  if (key === undefined || key === "") return {};
  return {
    "x-hub-signature": `sha1=${createHmac("sha1", key).update(body).digest("hex")}`,
    "x-hub-signature-256": `sha256=${createHmac("sha256", key).update(body).digest("hex")}`,
  };
}
