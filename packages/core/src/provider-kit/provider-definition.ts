import type { IntegrationError } from "../errors";
import type { RetryOptions } from "../retry";
import type { ProviderRunTask } from "./provider-task-options";
import type { ProviderSecretShapes } from "./secret-shapes";

/** What every provider class takes (spec 000): `id` always; `token` for LOCAL auth, absent for HOSTED. */
export interface ProviderOptions {
  /** Identifies this integration instance in jobs and connections. */
  id: string;
  /** A token of its own (LOCAL). Omit it to use the run's connection (HOSTED). */
  token?: string;
}

/** How a provider's SDK answers a method call. */
export type SdkResultShape =
  /** The resolved value is the answer (most SDKs). */
  | "response"
  /** The answer is the resolved value's `data` (Octokit's `{ data, status, headers }`). */
  | "data";

/** Where the SDK's method tree is, so every method can be a task without a hand-written line. */
export interface SdkMethodTree<TClient> {
  /** The object whose namespaces mirror the SDK (`client` for WebClient, `client.rest` for Octokit). */
  root(client: TClient): object;
  /** A client built only to read which methods exist (no token, no request); built once, on first use. */
  shape(): TClient;
  result: SdkResultShape;
  /**
   * Whether the passthrough method at `path` (`["issues", "listForRepo"]`) only reads, so a repeat after a
   * lost answer is harmless (`idempotency: "idempotent"`); every other passthrough method is a write that is
   * not repeated blindly. Default `isReadMethodName` on the method's name (`get*`, `list*`, `info`, ...).
   */
  isRead?(path: readonly string[]): boolean;
}

/** What a provider's client needs besides the token, from the connection (`ProviderCredential.additionalFields`). */
export type ConnectionFields = Readonly<Record<string, string>>;

/** A hand-written task class (a `TaskNamespace`), constructed with the provider's `runTask`. */
export type ProviderTaskClass<TClient> = new (runTask: ProviderRunTask<TClient>) => object;

/**
 * A provider's SDK-specific knowledge, and nothing else: how to build its client, where its method tree
 * is, and its error table. The kit (`ProviderIntegration`, `runProviderTask`, `sdkPassthrough`) does the rest
 * the same way for every provider.
 */
export interface ProviderDefinition<TClient, TOptions extends ProviderOptions = ProviderOptions> {
  /** The slug: task icon, error `provider`, connection and URL segment, e.g. "acme". */
  readonly id: string;
  /** The display name, e.g. "Acme". */
  readonly name: string;
  /**
   * Builds the SDK client for one token, with the SDK's own retries and throttling off (the runtime alone
   * retries). Clients are cached per (token, options, fields) and reused across runs. `fields` are the
   * connection's `additionalFields` (a customer's site and account email, the cloud an OAuth token reaches; see
   * `ProviderCredential`), `{}` for a LOCAL integration, whose options carry what it needs.
   */
  createClient(token: string, options: TOptions, fields: ConnectionFields): TClient;
  /** The provider's error table: anything its SDK throws -> the frozen taxonomy, with `retryAt` when the provider named one. */
  toError(error: unknown, now: number): IntegrationError;
  readonly sdk: SdkMethodTree<TClient>;
  /**
   * The hand-written task classes by SDK namespace (`{ chat: Chat }`, one per `src/tasks/<namespace>.ts`): the
   * class gets a getter for each (`acme.widgets`), the task class with the rest of the namespace passing through;
   * every other namespace passes through whole. A doc comment on an entry documents its getter.
   */
  readonly tasks?: Readonly<Record<string, ProviderTaskClass<TClient>>>;
  /**
   * What a passthrough call shows, as display label -> param name (`{ Channel: "channel" }`). A call whose first
   * argument is a bare string (`customers.retrieve("cus_1")`) shows it as `ID` either way.
   */
  readonly passthroughProperties?: Readonly<Record<string, string>>;
  /**
   * Per-request idempotency: a view of `client` that sends `key` with its requests (an
   * `Idempotency-Key` header, a client-generated id). Used by tasks that declare `idempotency: "native"`.
   */
  withIdempotencyKey?(client: TClient, key: string): TClient;
  /** Its token shapes, masked and redacted wherever they appear in logged text; registered when the class is first built. */
  readonly secrets: ProviderSecretShapes;
  /** The backoff of this provider's tasks. Default `retry.standardBackoff`. */
  readonly retry?: RetryOptions;
}
