import type { ConnectionAuth, Trigger } from "@autoflow/core";
import type { z } from "zod";
import { checkExamples } from "./examples";
import type { ActionProviders } from "./provider-options";
import type { Schema } from "./schema";

/** What `create` may use beyond the inputs: how to reach the provider (the API a hook is registered through). */
export interface TriggerContext {
  providers?: ActionProviders;
  /**
   * The connection a polling trigger lists with (the one its scope was checked with): its id, part of the cursor's
   * identity, and its auth as it is now (refreshed), asked before every poll. Absent where nothing polls (matching
   * a delivery, validating a workflow): a poller built without it fails its polls as `auth`.
   */
  connection?: { id: string; auth(): Promise<ConnectionAuth> };
}

/** A user's live connection as a scope check sees it: its id, its auth and the account metadata stored with it. */
export interface ScopeConnection {
  id: string;
  auth: ConnectionAuth;
  /** The connection's public account data (a workspace id, a login), as its lifecycle stored it. */
  metadata: Readonly<Record<string, unknown>>;
}

/**
 * What checking a trigger's scope against one connection found: the tenant account (and resource) the connection
 * was seen to reach, in the same ids the provider's verifier puts in `DeliveryTenant`; or why not, naming the input.
 */
export type ScopeCheckResult =
  | { ok: true; account: string; resource?: string }
  | { ok: false; field: string; message: string };

/**
 * How a trigger is limited to one tenant: which inputs scope the event, and how the service checks, when a
 * workflow is saved, that the user's connection can see what they name. A delivery then reaches the workflow only
 * when its tenant is the checked account (and resource). A stored workflow cannot use a trigger without one.
 */
export interface TriggerScopeDefinition<TInputs> {
  /** The inputs that scope the event, e.g. `["owner", "repo"]`, `["channel", "team"]` (the schema requires them). */
  fields: readonly string[];
  /**
   * Checks that `connection` can see the scope `inputs` name (the provider's API where its metadata cannot tell):
   * `ok: false` naming the input when it cannot; throws only when the provider could not answer.
   */
  check(inputs: TInputs, connection: ScopeConnection, context?: TriggerContext): Promise<ScopeCheckResult>;
}

/**
 * A trigger a workflow can start from: a catalogue entry with a form (`inputSchema`) that builds the
 * provider package's own webhook trigger, so matching a delivery lives in one place.
 */
export interface TriggerDefinition<TInputs extends Schema = Schema, TPayload = unknown> {
  /** `provider.trigger`, e.g. `crm.contactCreated`: what a workflow's `trigger.key` names. */
  key: string;
  /** Short label for the builder, e.g. "New contact". */
  name: string;
  description?: string;
  /** The same slug as the inbox entry's provider, e.g. `crm`; also the first segment of `key`. */
  provider: string;
  /** The trigger's filters as the form shows them, e.g. `{ owner?, repo? }`. */
  inputSchema: TInputs;
  /**
   * One or two realistic, valid inputs: checked by `inputSchema` when the trigger is defined, published as the
   * filters' JSON Schema `examples` (a form's placeholders). The registry tests derive invalid inputs from them.
   */
  examples?: readonly z.input<TInputs>[];
  /**
   * How it starts runs: `webhook` (default), matched against deliveries, or `polling`, listed by the service on
   * an interval with the workflow's connection (`context.connection`).
   */
  kind?: "webhook" | "polling";
  /** The provider package's trigger for these (parsed) inputs: a webhook trigger, or a polling one for `kind: "polling"`. */
  create(inputs: z.output<TInputs>, context?: TriggerContext): Trigger<TPayload>;
  /** The payload fields steps may reference as `trigger.<field>`: checked when a workflow is defined, shown in the UI. */
  payloadSchema?: Schema;
  /**
   * Tenancy: the inputs that scope the event and how a connection is checked to see them. Optional for
   * `defineTrigger`, but the service refuses to store a workflow whose trigger has none.
   */
  scope?: TriggerScopeDefinition<z.output<TInputs>>;
}

/** Any trigger definition, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds triggers of every input and payload type.
export type AnyTriggerDefinition = Readonly<TriggerDefinition<Schema, any>>;

const PROVIDER = /^[a-z][a-z0-9-]*$/;
const TRIGGER = /^[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * Declares a catalogue trigger; the key (`<provider>.<trigger>`), provider, name, schemas, examples and `create`
 * are checked here, not when the first workflow uses it. Returns the definition, frozen.
 */
export function defineTrigger<TInputs extends Schema, TPayload>(
  definition: TriggerDefinition<TInputs, TPayload>,
): Readonly<TriggerDefinition<TInputs, TPayload>> {
  const { key, provider } = definition;
  const where = `defineTrigger(${JSON.stringify(key)})`;
  if (typeof provider !== "string" || !PROVIDER.test(provider)) {
    throw new TypeError(
      `${where}: provider must be a lowercase slug like "crm", got ${JSON.stringify(provider)}`,
    );
  }
  const [head, trigger, ...rest] = typeof key === "string" ? key.split(".") : [];
  if (head !== provider || trigger === undefined || !TRIGGER.test(trigger) || rest.length > 0) {
    throw new TypeError(`${where}: key must be "${provider}.<trigger>", e.g. "${provider}.issueOpened"`);
  }
  if (!definition.name) throw new TypeError(`${where}: name is required`);
  if (typeof definition.inputSchema?.safeParse !== "function") {
    throw new TypeError(`${where}: inputSchema must be a zod schema`);
  }
  if (definition.payloadSchema !== undefined && typeof definition.payloadSchema.safeParse !== "function") {
    throw new TypeError(`${where}: payloadSchema must be a zod schema`);
  }
  const examples = checkExamples(where, definition.inputSchema, definition.examples);
  if (typeof definition.create !== "function") throw new TypeError(`${where}: create must be a function`);
  if (definition.kind !== undefined && definition.kind !== "webhook" && definition.kind !== "polling") {
    throw new TypeError(`${where}: kind must be "webhook" or "polling"`);
  }
  const { scope } = definition;
  if (scope !== undefined && (typeof scope.check !== "function" || !Array.isArray(scope.fields))) {
    throw new TypeError(`${where}: scope needs the scoping input names (fields) and a check function`);
  }
  return Object.freeze({
    ...definition,
    ...(examples !== undefined && { examples: examples as readonly z.input<TInputs>[] }),
  });
}
