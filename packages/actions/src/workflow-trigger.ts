import { IntegrationError, type Trigger } from "@autoflow/core";
import type { AnyTriggerDefinition, TriggerContext } from "./define-trigger";
import { UnknownTriggerError } from "./errors";
import type { TriggerRegistry } from "./trigger-registry";

/** What a workflow stores about the trigger that starts it: a catalogue key and the filters' values. */
export interface WorkflowTrigger {
  /** A trigger registry key, e.g. `crm.contactCreated`. */
  key: string;
  /** The trigger's inputs, checked by its `inputSchema`, e.g. `{ owner: "octo-org", repo: "hello" }`. */
  inputs?: unknown;
}

/** The registry entry and parsed inputs of a workflow trigger, or the problems (each naming the field). */
export function resolveWorkflowTrigger(
  trigger: unknown,
  registry: TriggerRegistry,
):
  | { ok: true; definition: AnyTriggerDefinition; inputs: unknown }
  | { ok: false; problems: string[]; cause?: unknown } {
  if (typeof trigger !== "object" || trigger === null || Array.isArray(trigger)) {
    return { ok: false, problems: ["trigger: must be an object with a key"] };
  }
  const { key, inputs } = trigger as Partial<Record<keyof WorkflowTrigger, unknown>>;
  if (typeof key !== "string" || !registry.has(key)) {
    const error = new UnknownTriggerError(String(key), registry.keys);
    return { ok: false, problems: [`trigger.key: ${error.message}`], cause: error };
  }
  const definition = registry.get(key);
  const parsed = definition.inputSchema.safeParse(inputs ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${["trigger", "inputs", ...issue.path.map(String)].join(".")}: ${issue.message}`,
    );
    return { ok: false, problems, cause: parsed.error };
  }
  return { ok: true, definition, inputs: parsed.data };
}

/** What `createWorkflowTrigger` may pass on to the trigger's `create`. */
export type WorkflowTriggerOptions = TriggerContext;

/**
 * Builds the core trigger a workflow's `trigger` describes (a webhook trigger, or a polling one for a `polling`
 * entry), through the provider package's own factory; throws a `schema` IntegrationError naming the field on an
 * unknown key or bad inputs.
 */
export function createWorkflowTrigger(
  trigger: WorkflowTrigger,
  registry: TriggerRegistry,
  options: WorkflowTriggerOptions = {},
): Trigger<unknown> {
  const resolved = resolveWorkflowTrigger(trigger, registry);
  if (!resolved.ok) throw invalidTriggerError(resolved.problems, resolved.cause);
  try {
    return resolved.definition.create(resolved.inputs, options);
  } catch (error) {
    // A factory's own check (a filter it refuses) is the same kind of failure as a bad input.
    if (error instanceof TypeError) throw invalidTriggerError([`trigger.inputs: ${error.message}`], error);
    throw error;
  }
}

function invalidTriggerError(problems: string[], cause?: unknown): IntegrationError {
  return new IntegrationError({
    type: "schema",
    provider: "autoflow",
    code: "invalid_trigger",
    message: problems.join("; "),
    ...(cause !== undefined && { cause }),
  });
}
