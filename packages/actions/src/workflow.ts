import { IntegrationError } from "@autoflow/core";
import type { z } from "zod";
import type { AnyTriggerDefinition } from "./define-trigger";
import { UnknownActionError } from "./errors";
import { checkReferences, findReferences, type ReferenceCheckOptions } from "./references";
import type { ActionRegistry } from "./registry";
import type { TriggerRegistry } from "./trigger-registry";
import { resolveWorkflowTrigger, type WorkflowTrigger } from "./workflow-trigger";

/** One step of a run: an action, its inputs (which may reference earlier steps) and the vault id of its credential. */
export interface Step {
  /** Unique within the run; the key of the step's durable task and the name references use. */
  id: string;
  /** The action key, e.g. `crm.createContact`. */
  action: string;
  /** The action's inputs; strings may hold `{{steps.<id>.output.<field>}}`, values may be `{ "$ref": "..." }`. */
  inputs?: unknown;
  /** The vault id of the step's credential; omit for actions whose credential is optional. */
  credentialId?: string;
}

/** A workflow: an ordered list of steps, run one after the other, optionally started by a catalogue trigger. */
export interface Workflow {
  id: string;
  name?: string;
  /** What starts a run: a trigger registry key and its filters. Runs can also be started by hand or from code. */
  trigger?: WorkflowTrigger;
  steps: Step[];
}

/** What `stepProblems` checks beyond the plan's structure and the order of references. */
export interface StepCheckOptions {
  /** Check `steps.<id>.output.<path>` references against each action's `outputSchema` (`validateWorkflow` does). */
  outputSchemas?: boolean;
  /** The trigger that starts the steps: `trigger.<path>` references must exist in its `payloadSchema`, when it has one. */
  trigger?: Pick<AnyTriggerDefinition, "key" | "payloadSchema">;
}

/**
 * What is wrong with `steps`, one message per problem naming the step (`steps.1.action: Unknown action ...`):
 * missing or duplicate ids, unknown actions, a non-string credential id, malformed references and references
 * to an unknown or later step; with `options`, also reference paths the output or trigger payload schemas do
 * not have. Empty when the plan can run.
 */
export function stepProblems(
  steps: unknown,
  registry: ActionRegistry,
  options: StepCheckOptions = {},
): string[] {
  if (!Array.isArray(steps)) return ["steps: must be an array"];
  if (steps.length === 0) return ["steps: must have at least one step"];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of steps.entries()) {
    const step = (typeof raw === "object" && raw !== null ? raw : {}) as Partial<Record<keyof Step, unknown>>;
    if (typeof step.id !== "string" || step.id === "") problems.push(`steps.${index}.id: is required`);
    else if (seen.has(step.id)) problems.push(`steps.${index}.id: "${step.id}" is used by an earlier step`);
    else seen.add(step.id);
    if (typeof step.action !== "string" || !registry.has(step.action)) {
      problems.push(
        `steps.${index}.action: ${new UnknownActionError(String(step.action), registry.keys).message}`,
      );
    }
    if (
      step.credentialId !== undefined &&
      (typeof step.credentialId !== "string" || step.credentialId === "")
    ) {
      problems.push(`steps.${index}.credentialId: must be a non-empty string`);
    }
  }
  if (problems.length > 0) return problems;
  // Both at once, so a person fixing a form sees every problem in one answer, not a second round after a save.
  const literal = (steps as Step[]).flatMap((step, index) => literalInputProblems(step, index, registry));
  return [
    ...literal,
    ...checkReferences(steps as Step[], referenceSchemas(steps as Step[], registry, options)),
  ];
}

/**
 * The step's inputs that hold no reference, checked against the action's input schema when the workflow is
 * saved (a `file://` URL, a missing channel, a required input left out), so a plan that can never run is refused with a 400 instead of
 * failing at its first run. Inputs with a reference are checked when the step runs, once they are resolved.
 */
function literalInputProblems(step: Step, index: number, registry: ActionRegistry): string[] {
  const schema = registry.get(step.action).inputSchema;
  const shape = (schema as { shape?: Record<string, z.ZodType> }).shape;
  if (shape === undefined) return [];
  if (step.inputs !== undefined && (typeof step.inputs !== "object" || step.inputs === null)) return [];
  const inputs = (step.inputs ?? {}) as Record<string, unknown>;
  // A required input left out is refused as the step would refuse it at its first run (zod's own message).
  const missing = Object.entries(shape).flatMap(([name, field]) => {
    if (name in inputs || field.safeParse(undefined).success) return [];
    return [
      `steps.${index}.inputs.${name}: ${field.safeParse(undefined).error?.issues[0]?.message ?? "is required"}`,
    ];
  });
  return [
    ...missing,
    ...Object.entries(inputs).flatMap(([name, value]) => {
      const field = shape[name];
      if (field === undefined || findReferences({ [name]: value }).references.length > 0) return [];
      if (findReferences({ [name]: value }).problems.length > 0) return [];
      const parsed = field.safeParse(value);
      if (parsed.success) return [];
      return parsed.error.issues.map((issue) => {
        const path = [name, ...issue.path.map(String)].join(".");
        return `steps.${index}.inputs.${path}: ${issue.message}`;
      });
    }),
  ];
}

/** The schemas references are checked against: declared action outputs and the trigger's payload. */
function referenceSchemas(
  steps: readonly Step[],
  registry: ActionRegistry,
  options: StepCheckOptions,
): ReferenceCheckOptions {
  const outputs = new Map<string, { action: string; schema: z.core.$ZodType }>();
  if (options.outputSchemas) {
    for (const step of steps) {
      const schema = registry.get(step.action).outputSchema;
      if (schema !== undefined) outputs.set(step.id, { action: step.action, schema });
    }
  }
  const payload = options.trigger?.payloadSchema;
  return {
    outputs,
    ...(options.trigger !== undefined &&
      payload !== undefined && { trigger: { key: options.trigger.key, schema: payload } }),
  };
}

/** A `schema` IntegrationError listing the plan's problems. */
export function invalidPlanError(
  code: "invalid_steps" | "invalid_workflow",
  problems: string[],
): IntegrationError {
  // Also by path (`steps.1.inputs.text` → its message), so a form can show each problem on its field.
  const byPath: Record<string, string> = {};
  for (const problem of problems) {
    const at = problem.indexOf(": ");
    const path = at > 0 ? problem.slice(0, at) : "workflow";
    const message = at > 0 ? problem.slice(at + 2) : problem;
    byPath[path] = byPath[path] ? `${byPath[path]}; ${message}` : message;
  }
  return new IntegrationError({
    type: "schema",
    provider: "autoflow",
    code,
    message: problems.join("; "),
    details: byPath,
  });
}

/**
 * Checks a workflow when it is defined, before anything runs: an id, an optional string name, an optional
 * trigger (a known key, inputs its `inputSchema` accepts) and steps that `stepProblems` accepts, references
 * included: their paths must exist in the referenced action's `outputSchema` and the trigger's `payloadSchema`
 * where those are declared. Returns it typed; throws a `schema` IntegrationError (`invalid_workflow`) naming
 * every problem (`trigger.inputs.repo: ...`, `steps.1.inputs.text: ...`).
 */
export function validateWorkflow(
  workflow: unknown,
  registry: ActionRegistry,
  triggers: TriggerRegistry,
): Workflow {
  const problems: string[] = [];
  if (typeof workflow !== "object" || workflow === null || Array.isArray(workflow)) {
    throw invalidPlanError("invalid_workflow", ["workflow: must be an object"]);
  }
  const candidate = workflow as Partial<Record<keyof Workflow, unknown>>;
  if (typeof candidate.id !== "string" || candidate.id === "") problems.push("id: is required");
  if (candidate.name !== undefined && typeof candidate.name !== "string")
    problems.push("name: must be a string");
  let trigger: AnyTriggerDefinition | undefined;
  if (candidate.trigger !== undefined) {
    const resolved = resolveWorkflowTrigger(candidate.trigger, triggers);
    if (resolved.ok) trigger = resolved.definition;
    else problems.push(...resolved.problems);
  }
  problems.push(
    ...stepProblems(candidate.steps, registry, {
      outputSchemas: true,
      ...(trigger !== undefined && { trigger }),
    }),
  );
  if (problems.length > 0) throw invalidPlanError("invalid_workflow", problems);
  return workflow as Workflow;
}
