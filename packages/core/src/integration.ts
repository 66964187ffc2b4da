import type { IO } from "./io";

/** A key that identifies a task within its run (and its parent task). Arrays and objects are serialized stably. */
export type IntegrationTaskKey = string | readonly unknown[] | Readonly<Record<string, unknown>>;

/** Auth data handed to `cloneForRun` for HOSTED integrations: it can change between runs (token refresh). */
export type ConnectionAuth = {
  type: "oauth2" | "apiKey";
  accessToken: string;
  scopes?: string[];
  additionalFields?: Record<string, string>;
  /**
   * The connection this auth is of (the service's id), so what a provider keeps per connection across runs
   * (a sync's record → resource mappings) is that connection's alone. Absent for LOCAL tokens.
   */
  connectionId?: string;
  /**
   * The connection's auth as it is now, refreshed when about to expire (or at once with `forceRefresh`,
   * after the provider refused the token). Set by the runner for HOSTED integrations; the provider kit
   * asks it before every attempt, so a run that retries for an hour outlives a one-hour access token.
   */
  current?: (options?: { forceRefresh?: boolean }) => Promise<ConnectionAuth>;
  /**
   * The fetch this connection's requests go out through, in place of the integration's own: the service's
   * egress-checked fetch where a connection names its own host (a customer's site), so a job's task reaches
   * only what the egress policy allows. For providers whose client options take `fetch`.
   */
  fetch?: typeof fetch;
};

/** How an integration is displayed and identified in the dashboard. */
export type IntegrationMetadata = {
  /** Display name, e.g. "Acme". */
  name: string;
  /** Lowercase slug, e.g. "acme". */
  id: string;
};

/** `LOCAL`: the integration holds its own credential (a token). `HOSTED`: the platform supplies auth per run (OAuth). */
export type IntegrationAuthSource = "LOCAL" | "HOSTED";

/** The contract every provider class (`Acme`, named after its service) implements (spec 000). */
export interface TriggerIntegration {
  /** Identifies this integration instance; always passed through the constructor options. */
  readonly id: string;
  readonly metadata: IntegrationMetadata;
  readonly authSource: IntegrationAuthSource;
  /**
   * Called once per run before the job's `run()`: returns a new instance bound to the run's `io`,
   * its connection key and fresh auth.
   */
  cloneForRun(io: IO, connectionKey: string, auth?: ConnectionAuth): TriggerIntegration;
  /**
   * Credential values this instance holds (beyond `ConnectionAuth`), so the runtime can scrub them
   * from task params, outputs, errors and logs. Optional.
   */
  secretValues?(): readonly string[];
}
