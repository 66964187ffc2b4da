import type { WebhookTrigger } from "@autoflow/core";
import type { z } from "zod";
import { checkExamples } from "./examples";
import type { ActionProviders } from "./provider-options";

/** What `create` may use beyond the inputs: how to reach the provider (the API a hook is registered through). */
export interface TriggerContext {
  providers?: ActionProviders;
}

/**
 * A trigger a workflow can start from: a catalogue entry with a form (`inputSchema`) that builds the
 * provider package's own webhook trigger, so matching a delivery lives in one place.
 */
export interface TriggerDefinition<TInputs extends z.ZodType = z.ZodType, TPayload = unknown> {
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
  /** The provider package's webhook trigger for these (parsed) inputs. */
  create(inputs: z.output<TInputs>, context?: TriggerContext): WebhookTrigger<TPayload>;
  /** The payload fields steps may reference as `trigger.<field>`: checked when a workflow is defined, shown in the UI. */
  payloadSchema?: z.ZodType;
}

/** Any trigger definition, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds triggers of every input and payload type.
export type AnyTriggerDefinition = Readonly<TriggerDefinition<z.ZodType, any>>;

const PROVIDER = /^[a-z][a-z0-9-]*$/;
const TRIGGER = /^[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * Declares a catalogue trigger; the key (`<provider>.<trigger>`), provider, name, schemas, examples and `create`
 * are checked here, not when the first workflow uses it. Returns the definition, frozen.
 */
export function defineTrigger<TInputs extends z.ZodType, TPayload>(
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
  return Object.freeze({
    ...definition,
    ...(examples !== undefined && { examples: examples as readonly z.input<TInputs>[] }),
  });
}
