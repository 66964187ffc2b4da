import { IntegrationError } from "@autoflow/core";
import { UnknownActionError } from "./errors";
import { checkReferences } from "./references";
import { type ActionRegistry, integrationRegistry } from "./registry";

/** One step of a run: an action, its inputs (which may reference earlier steps) and the vault id of its credential. */
export interface Step {
  /** Unique within the run; the key of the step's durable task and the name references use. */
  id: string;
  /** The action key, e.g. `slack.sendMessage`. */
  action: string;
  /** The action's inputs; strings may hold `{{steps.<id>.output.<field>}}`, values may be `{ "$ref": "..." }`. */
  inputs?: unknown;
  /** The vault id of the step's credential; omit for actions whose credential is optional. */
  credentialId?: string;
}

/** A workflow: an ordered list of steps, run one after the other. */
export interface Workflow {
  id: string;
  name?: string;
  steps: Step[];
}

/**
 * What is wrong with `steps`, one message per problem naming the step (`steps.1.action: Unknown action ...`):
 * missing or duplicate ids, unknown actions, a non-string credential id, malformed references and references
 * to an unknown or later step. Empty when the plan can run.
 */
export function stepProblems(steps: unknown, registry: ActionRegistry = integrationRegistry): string[] {
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
  return checkReferences(steps as Step[]);
}

/** A `schema` IntegrationError listing the plan's problems. */
export function invalidPlanError(
  code: "invalid_steps" | "invalid_workflow",
  problems: string[],
): IntegrationError {
  return new IntegrationError({ type: "schema", provider: "autoflow", code, message: problems.join("; ") });
}

/**
 * Checks a workflow before anything runs: an id, an optional string name, and steps that `stepProblems`
 * accepts. Returns it typed; throws a `schema` IntegrationError (`invalid_workflow`) naming every problem.
 */
export function validateWorkflow(
  workflow: unknown,
  registry: ActionRegistry = integrationRegistry,
): Workflow {
  const problems: string[] = [];
  if (typeof workflow !== "object" || workflow === null || Array.isArray(workflow)) {
    throw invalidPlanError("invalid_workflow", ["workflow: must be an object"]);
  }
  const candidate = workflow as Partial<Record<keyof Workflow, unknown>>;
  if (typeof candidate.id !== "string" || candidate.id === "") problems.push("id: is required");
  if (candidate.name !== undefined && typeof candidate.name !== "string")
    problems.push("name: must be a string");
  problems.push(...stepProblems(candidate.steps, registry));
  if (problems.length > 0) throw invalidPlanError("invalid_workflow", problems);
  return workflow as Workflow;
}
