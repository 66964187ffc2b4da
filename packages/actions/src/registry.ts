import type { AuthType } from "@autoflow/core";
import type { AnyAction } from "./define-action";
import { UnknownActionError } from "./errors";
import { inputJsonSchemaOf, type JsonSchema, jsonSchemaOf } from "./json-schema";

/** What a builder UI needs to list an action and render its form. */
export interface ActionMetadata {
  key: string;
  name: string;
  description?: string;
  provider: string;
  /** Always an array, even when the action names one type. */
  authType: readonly AuthType[];
  /** May the step run without a credential. */
  authOptional: boolean;
  /** The inputs form, as JSON Schema (draft 2020-12), with the action's `examples` at its root. */
  inputSchema: JsonSchema;
  /** The output's shape, when the action declares one. */
  outputSchema?: JsonSchema;
}

/** A set of actions by key: `get` for the worker, `list` for the builder's add-step menu. */
export interface ActionRegistry {
  readonly keys: readonly string[];
  has(key: string): boolean;
  /** The action for `key`; throws `UnknownActionError` naming the known keys. */
  get(key: string): AnyAction;
  /** Every action's display metadata and JSON Schemas, in registration order. */
  list(): readonly ActionMetadata[];
  /** `list()`, so `JSON.stringify(registry)` is the catalogue. */
  toJSON(): readonly ActionMetadata[];
}

function metadataOf(action: AnyAction): ActionMetadata {
  return {
    key: action.key,
    name: action.name,
    ...(action.description !== undefined && { description: action.description }),
    provider: action.provider,
    authType: action.authTypes,
    authOptional: action.credential?.optional === true,
    inputSchema: inputJsonSchemaOf(action.inputSchema, action.examples),
    ...(action.outputSchema !== undefined && { outputSchema: jsonSchemaOf(action.outputSchema, "output") }),
  };
}

/** A registry of `actions`; a key registered twice is an error. JSON Schemas are built once, on first `list()`. */
export function createActionRegistry(actions: readonly AnyAction[]): ActionRegistry {
  const byKey = new Map<string, AnyAction>();
  for (const action of actions) {
    if (byKey.has(action.key)) throw new TypeError(`Action "${action.key}" is registered twice`);
    byKey.set(action.key, action);
  }
  const keys = Object.freeze([...byKey.keys()]);
  let metadata: readonly ActionMetadata[] | undefined;
  const registry: ActionRegistry = {
    keys,
    has: (key) => byKey.has(key),
    get(key) {
      const action = byKey.get(key);
      if (!action) throw new UnknownActionError(key, keys);
      return action;
    },
    list() {
      metadata ??= Object.freeze([...byKey.values()].map(metadataOf));
      return metadata;
    },
    toJSON: () => registry.list(),
  };
  return Object.freeze(registry);
}
