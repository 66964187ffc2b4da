/**
 * @module
 * Renaming a step: the rule a step id keeps, and every reference to the step, in any step's inputs, rewritten to
 * its new id.
 */
import type { WorkflowStep } from "../lib/types";
import { isWholeReference, rewriteTemplates } from "./references";

/** What a step id may hold: the API reads `steps.<id>.output` with this rule, so another id could never be referenced. */
const STEP_ID = /^[A-Za-z0-9_$-]+$/;

/** Why `id` cannot be the id of step `index` (empty, not a step id, or another step's), or nothing when it can. */
export function stepIdProblem(id: string, steps: readonly WorkflowStep[], index: number): string | undefined {
  if (id === "") return "A step needs an id: references name the step by it.";
  if (!STEP_ID.test(id))
    return `"${id}" is not a step id: use letters, digits, "_", "-" and "$" only (references name the step by it).`;
  const other = steps.findIndex((step, at) => at !== index && step.id === id);
  if (other >= 0) return `Step ${other + 1} already has the id "${id}": pick another.`;
  return undefined;
}

/** The steps after a rename, and how many references to the step were rewritten. */
export interface RenamedSteps {
  steps: WorkflowStep[];
  rewritten: number;
}

/**
 * Step `index` renamed to `to`, with every reference to its old id rewritten: the `{{steps.<id>...}}` templates
 * of any string and the `{ "$ref": "steps.<id>..." }` values, at any depth of any step's inputs. Nothing else
 * changes, so renaming a step back gives the same definition.
 */
export function renameStep(steps: readonly WorkflowStep[], index: number, to: string): RenamedSteps {
  const from = steps[index]?.id;
  if (from === undefined || from === to) return { steps: [...steps], rewritten: 0 };
  let rewritten = 0;
  const retarget = (reference: string): string => {
    const [root, id, ...rest] = reference.split(".");
    if (root !== "steps" || id !== from) return reference;
    rewritten++;
    return ["steps", to, ...rest].join(".");
  };
  const rewrite = (value: unknown): unknown => {
    if (typeof value === "string") return rewriteTemplates(value, retarget);
    if (Array.isArray(value)) return value.map(rewrite);
    if (isWholeReference(value)) return { $ref: retarget(value.$ref) };
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, rewrite(child)]));
    return value;
  };
  const renamed = steps.map((step, at) => {
    const next: WorkflowStep = at === index ? { ...step, id: to } : { ...step };
    if (step.inputs) next.inputs = rewrite(step.inputs) as Record<string, unknown>;
    return next;
  });
  return { steps: renamed, rewritten };
}
