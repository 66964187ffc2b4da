import type { AuthType, IO, Json, NormalizedAuth } from "@autoflow/core";
import type { z } from "zod";
import { checkExamples } from "./examples";
import type { ActionProviders } from "./provider-options";
import type { Schema } from "./schema";

/** The normalized auth objects of the given credential types. */
export type AuthOf<A extends AuthType> = Extract<NormalizedAuth, { type: A }>;

/** What `run(ctx)` receives (spec 002): the checked credential, the parsed inputs and the ids of the step. */
export interface ActionContext<TInputs, TAuth> {
  /** The step's credential, already checked against `authType` and `provider`. */
  auth: TAuth;
  /** The step's inputs, parsed by `inputSchema` (defaults applied). */
  inputs: TInputs;
  tenantId: string;
  runId: string;
  stepId: string;
  /** The run's IO: provider calls run as durable tasks nested under the step's task. */
  io: IO;
  /** The action's provider id (`crm` for `crm.createContact`): which entry of `providers` its class is built with. */
  provider: string;
  /** The connection key provider tasks are logged under: the credential id, or the provider. */
  connectionKey: string;
  /** How to reach each provider (base URLs, timeouts, fetch), e.g. the emulators in tests. */
  providers: ActionProviders;
  /**
   * The step's credential as it is now, refreshed when about to expire (or at once with `forceRefresh`,
   * after the provider refused it); absent when the worker has no vault to ask again. `integrationFor`
   * wires it into the provider class, which asks it before every attempt.
   */
  currentAuth?: (options?: { forceRefresh?: boolean }) => Promise<TAuth>;
}

/** How strictly the worker checks a step's credential. */
export interface CredentialPolicy<TOptional extends boolean = boolean> {
  /** The step may run without a credential (`ctx.auth` is then `undefined`). */
  optional?: TOptional;
  /** Any provider's credential is accepted (the `http.request` fallback), not only `provider`'s. */
  anyProvider?: boolean;
}

/** The spec-002 action shape: key, name, provider, authType, inputSchema and `run(ctx)`. */
export interface ActionDefinition<
  TSchema extends Schema = Schema,
  A extends AuthType = AuthType,
  TOutput = unknown,
  TOptional extends boolean = false,
> {
  /** `provider.action`, e.g. `crm.createContact`: what a step names and the registry resolves. */
  key: string;
  /** Short label for the builder, e.g. "Send message". */
  name: string;
  description?: string;
  /** Vendor namespace, also the first segment of `key`, e.g. `crm`. */
  provider: string;
  /** The credential type(s) the action accepts. */
  authType: A | readonly A[];
  credential?: CredentialPolicy<TOptional>;
  /** Validates the step's inputs before `run`; published as JSON Schema for the form. */
  inputSchema: TSchema;
  /**
   * One or two realistic, valid inputs: checked by `inputSchema` when the action is defined, published as the
   * input JSON Schema's `examples` (a form's placeholders). The registry tests derive invalid inputs from them.
   */
  examples?: readonly z.input<TSchema>[];
  /** The shape of `run`'s output, published as JSON Schema so later steps know its fields. */
  outputSchema?: Schema;
  /**
   * Paths (dot-separated, `*` for any one segment) of inputs that hold secrets, redacted from the
   * step's task log: e.g. the credential headers of an `http.request`. Secret-named keys are always redacted.
   */
  redactInputs?(inputs: z.output<TSchema>): readonly string[];
  /** Calls the provider (through its class tasks, `integrationFor(ctx, Integration)`) and returns JSON for the next step. */
  run(
    ctx: ActionContext<z.output<TSchema>, TOptional extends true ? AuthOf<A> | undefined : AuthOf<A>>,
  ): Promise<TOutput>;
}

/** A defined action: the definition, frozen, with `authTypes` always an array. */
export type Action<
  TSchema extends Schema = Schema,
  A extends AuthType = AuthType,
  TOutput = unknown,
  TOptional extends boolean = boolean,
> = Readonly<ActionDefinition<TSchema, A, TOutput, TOptional>> & { readonly authTypes: readonly A[] };

/** Any action, as the registry and the worker hold them. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds actions of every input and output type.
export type AnyAction = Action<Schema, AuthType, any, boolean>;

/** An action's JSON output as a step sees it. */
export type ActionOutput = Json | null;

const AUTH_TYPES: readonly AuthType[] = ["oauth2", "api_key", "bearer_token"];
const PROVIDER = /^[a-z][a-z0-9-]*$/;
const ACTION = /^[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * Declares a registry action (spec 002). `ctx.inputs` is typed from `inputSchema` and `ctx.auth` is
 * narrowed to `authType`; the key, provider, auth types and examples are checked here, not at the first run.
 */
export function defineAction<
  TSchema extends Schema,
  const A extends AuthType,
  TOutput,
  TOptional extends boolean = false,
>(definition: ActionDefinition<TSchema, A, TOutput, TOptional>): Action<TSchema, A, TOutput, TOptional> {
  const { key, provider } = definition;
  const where = `defineAction(${JSON.stringify(key)})`;
  if (!PROVIDER.test(provider)) {
    throw new TypeError(
      `${where}: provider must be a lowercase slug like "crm", got ${JSON.stringify(provider)}`,
    );
  }
  const [head, action, ...rest] = typeof key === "string" ? key.split(".") : [];
  if (head !== provider || action === undefined || !ACTION.test(action) || rest.length > 0) {
    throw new TypeError(`${where}: key must be "${provider}.<action>", e.g. "${provider}.sendMessage"`);
  }
  if (!definition.name) throw new TypeError(`${where}: name is required`);
  const authTypes: readonly A[] = Array.isArray(definition.authType)
    ? [...(definition.authType as readonly A[])]
    : [definition.authType as A];
  if (authTypes.length === 0 || authTypes.some((type) => !AUTH_TYPES.includes(type))) {
    throw new TypeError(`${where}: authType must be one or more of ${AUTH_TYPES.join(", ")}`);
  }
  if (typeof definition.inputSchema?.safeParse !== "function") {
    throw new TypeError(`${where}: inputSchema must be a zod schema`);
  }
  const examples = checkExamples(where, definition.inputSchema, definition.examples);
  if (typeof definition.run !== "function") throw new TypeError(`${where}: run must be a function`);
  return Object.freeze({
    ...definition,
    ...(examples !== undefined && { examples: examples as readonly z.input<TSchema>[] }),
    authTypes: Object.freeze(authTypes),
  });
}
