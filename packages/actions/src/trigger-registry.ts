import type { AnyTriggerDefinition } from "./define-trigger";
import { UnknownTriggerError } from "./errors";
import { inputJsonSchemaOf, type JsonSchema, jsonSchemaOf } from "./json-schema";

/** What a builder UI needs to list a trigger, render its filters form and offer its payload fields. */
export interface TriggerMetadata {
  key: string;
  name: string;
  description?: string;
  provider: string;
  /** `webhook`: a delivery starts a run; `polling`: the service lists new items on an interval. */
  kind: "webhook" | "polling";
  /** The filters form, as JSON Schema (draft 2020-12), with the trigger's `examples` at its root. */
  inputSchema: JsonSchema;
  /** The payload fields steps may reference as `trigger.<field>`, when the trigger declares them. */
  payloadSchema?: JsonSchema;
}

/** A set of triggers by key: `get` to build a workflow's trigger, `list` for the builder's trigger menu. */
export interface TriggerRegistry {
  readonly keys: readonly string[];
  has(key: string): boolean;
  /** The trigger for `key`; throws `UnknownTriggerError` naming the known keys. */
  get(key: string): AnyTriggerDefinition;
  /** Every trigger's display metadata and JSON Schemas, in registration order. */
  list(): readonly TriggerMetadata[];
  /** `list()`, so `JSON.stringify(registry)` is the catalogue. */
  toJSON(): readonly TriggerMetadata[];
}

function metadataOf(trigger: AnyTriggerDefinition): TriggerMetadata {
  return {
    key: trigger.key,
    name: trigger.name,
    ...(trigger.description !== undefined && { description: trigger.description }),
    provider: trigger.provider,
    kind: trigger.kind ?? "webhook",
    // The form produces inputs before defaults and transforms; steps see the payload as it is.
    inputSchema: inputJsonSchemaOf(trigger.inputSchema, trigger.examples),
    ...(trigger.payloadSchema !== undefined && {
      payloadSchema: jsonSchemaOf(trigger.payloadSchema, "output"),
    }),
  };
}

/** A registry of `triggers`; a key registered twice is an error. JSON Schemas are built once, on first `list()`. */
export function createTriggerRegistry(triggers: readonly AnyTriggerDefinition[]): TriggerRegistry {
  const byKey = new Map<string, AnyTriggerDefinition>();
  for (const trigger of triggers) {
    if (byKey.has(trigger.key)) throw new TypeError(`Trigger "${trigger.key}" is registered twice`);
    byKey.set(trigger.key, trigger);
  }
  const keys = Object.freeze([...byKey.keys()]);
  let metadata: readonly TriggerMetadata[] | undefined;
  const registry: TriggerRegistry = {
    keys,
    has: (key) => byKey.has(key),
    get(key) {
      const trigger = byKey.get(key);
      if (!trigger) throw new UnknownTriggerError(key, keys);
      return trigger;
    },
    list() {
      metadata ??= Object.freeze([...byKey.values()].map(metadataOf));
      return metadata;
    },
    toJSON: () => registry.list(),
  };
  return Object.freeze(registry);
}
