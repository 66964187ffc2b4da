import { createHmac, randomUUID } from "node:crypto";
import { asEmulatorClock, type EmulatorClock, systemEmulatorClock } from "../shared/emulator-clock";
import type { WebhookAttempt, WebhookDelivery } from "../shared/webhook-delivery";
import { WebhookSender } from "../shared/webhook-sender";
import type { WebhookSignatureScheme } from "../shared/webhook-signature";
import type { GithubHook, GithubRepo, GithubState } from "./github-state";

/** GitHub's delivery agent names itself `GitHub-Hookshot/<short sha>`. */
export const HOOKSHOT_USER_AGENT = "GitHub-Hookshot/e9dec5f";

/** GitHub gives a hook 10 seconds to answer before it records the delivery as failed. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

/** What GitHub's delivery log says about a delivery, besides the attempt itself. */
export interface GithubDeliveryMeta {
  hookId: number;
  /** `owner/name` of the repository the hook belongs to. */
  repository: string;
  event: string;
  action?: string;
}

/**
 * One POST of a webhook delivery to a hook's URL, as sent and as answered: `id` is `X-GitHub-Delivery` (a
 * redelivery keeps it), `body` the exact bytes signed, `status` the receiver's (`undefined` while in flight
 * or when no answer came, then `error` says why).
 */
export type GithubDelivery = WebhookAttempt<GithubDeliveryMeta>;

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

/** `X-Hub-Signature-256` (and the legacy SHA-1 `X-Hub-Signature`) over the body alone. */
export const GITHUB_SIGNATURE: WebhookSignatureScheme = {
  sign: (body, secret) => ({
    "x-hub-signature": `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`,
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  }),
  malformed: { "x-hub-signature-256": "sha256=not-a-signature" },
};

/**
 * The emulator's webhook delivery agent: GitHub's envelope and headers over the emulators'
 * {@link WebhookSender}, which signs each body with the hook's secret, POSTs it asynchronously and logs
 * every attempt with the receiver's answer. GitHub does not retry on its own: a failed delivery is
 * redelivered on request.
 */
export class GithubWebhookDeliveries implements WebhookSink {
  /** The sender: its log, its `replay` of an exact earlier attempt, its `pendingRetries`. */
  readonly sender: WebhookSender<GithubDeliveryMeta>;

  /** Takes the emulator's clock (or its `now`). */
  constructor(
    private readonly state: GithubState,
    timeoutMs: number = DEFAULT_DELIVERY_TIMEOUT_MS,
    clock: EmulatorClock | (() => number) = systemEmulatorClock,
  ) {
    this.sender = new WebhookSender({
      clock: asEmulatorClock(clock),
      signature: GITHUB_SIGNATURE,
      timeoutMs,
    });
  }

  /** Every delivery attempt, oldest first. */
  get log(): GithubDelivery[] {
    return this.sender.log;
  }

  emit(repo: GithubRepo, event: string, payload: Record<string, unknown>): void {
    for (const hook of repo.hooks) {
      if (hook.active && (hook.events.includes(event) || hook.events.includes("*"))) {
        this.emitTo(repo, hook, event, payload);
      }
    }
  }

  emitTo(repo: GithubRepo, hook: GithubHook, event: string, payload: Record<string, unknown>): void {
    this.sender.deliver(this.prepare(repo, hook, { event, payload }));
  }

  /** Sends `times` more POSTs with the same delivery id and body at once; resolves when all are answered. */
  redeliver(deliveryId: string, times = 1): Promise<GithubDelivery[]> {
    return this.sender.redeliver(deliveryId, { times, atOnce: true });
  }

  /** Sends one hand-made delivery to a hook; resolves when it is answered. */
  sendDelivery(hookId: number, delivery: GithubManualDelivery): Promise<GithubDelivery> {
    const { repo, hook } = this.hookById(hookId);
    const signature = delivery.signature ?? "valid";
    return this.sender.send(this.prepare(repo, hook, delivery), { signature });
  }

  /** Sends `count` distinct deliveries at once (a burst); resolves when all are answered. */
  sendBurst(
    hookId: number,
    burst: { event: string; count: number; payload: (index: number) => Record<string, unknown> },
  ): Promise<GithubDelivery[]> {
    const { repo, hook } = this.hookById(hookId);
    return Promise.all(
      Array.from({ length: burst.count }, (_, index) =>
        this.sender.send(this.prepare(repo, hook, { event: burst.event, payload: burst.payload(index) })),
      ),
    );
  }

  /** Resolves once every delivery sent so far (and any sent meanwhile) has been answered or has failed. */
  settle(): Promise<void> {
    return this.sender.settled();
  }

  /** Aborts whatever is in flight (the emulator is stopping) and waits for it to be recorded. */
  abort(): Promise<void> {
    return this.sender.close();
  }

  private hookById(hookId: number): { repo: GithubRepo; hook: GithubHook } {
    for (const repo of this.state.repos.values()) {
      const hook = repo.hooks.find((h) => h.id === hookId);
      if (hook) return { repo, hook };
    }
    throw new Error(`no webhook ${hookId}`);
  }

  /** Serializes the payload once, so the bytes signed are the bytes sent and a redelivery resends them. */
  private prepare(
    repo: GithubRepo,
    hook: GithubHook,
    delivery: GithubManualDelivery,
  ): WebhookDelivery<GithubDeliveryMeta> {
    const json = JSON.stringify(delivery.payload);
    const form = hook.config.content_type === "form";
    const id = delivery.deliveryId ?? randomUUID();
    const action = delivery.payload.action;
    return this.sender.create({
      id,
      url: hook.config.url ?? "",
      body: form ? `payload=${encodeURIComponent(json)}` : json,
      secret: hook.config.secret,
      headers: {
        "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
        "user-agent": HOOKSHOT_USER_AGENT,
        "x-github-event": delivery.event,
        "x-github-delivery": id,
        "x-github-hook-id": String(hook.id),
        "x-github-hook-installation-target-type": "repository",
        "x-github-hook-installation-target-id": String(repo.id),
      },
      meta: {
        hookId: hook.id,
        repository: `${repo.owner}/${repo.name}`,
        event: delivery.event,
        ...(typeof action === "string" && { action }),
      },
    });
  }
}
