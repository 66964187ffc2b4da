/**
 * @module
 * The workflow definition the builder sends: the API's shape and nothing of the page's.
 */
import type { CatalogAction, JsonSchema, WorkflowDefinition, WorkflowStep } from "../lib/types";
import type { Catalogue } from "./catalogue";

/** What the API stores from the page's state: the workflow's own fields and nothing of the page's. */
export function definitionOf(
  name: string,
  trigger: WorkflowDefinition["trigger"],
  steps: readonly WorkflowStep[],
): WorkflowDefinition {
  return { ...(name !== "" && { name }), ...(trigger && { trigger }), steps: [...steps] };
}

/**
 * The definition with every required input the page left empty sent as empty (`""`, or `null` for a non-text
 * input), so the API names it as a problem on its field instead of storing a step that can never run.
 */
export function withEmptyRequired(
  definition: WorkflowDefinition,
  catalogue: Pick<Catalogue, "action">,
): WorkflowDefinition {
  return {
    ...definition,
    steps: definition.steps.map((step) => {
      const schema = catalogue.action(step.action)?.inputSchema;
      const required = (schema?.required as string[] | undefined) ?? [];
      const properties = (schema?.properties as Record<string, JsonSchema> | undefined) ?? {};
      const missing = required.filter(
        (name) => step.inputs?.[name] === undefined && properties[name]?.default === undefined,
      );
      if (missing.length === 0) return step;
      const inputs = { ...step.inputs };
      for (const name of missing) inputs[name] = properties[name]?.type === "string" ? "" : null;
      return { ...step, inputs };
    }),
  };
}

/** A fresh step id from the action's key (`sendMessage`, then `sendMessage2`, ...). */
export function stepIdFor(action: CatalogAction, steps: readonly WorkflowStep[]): string {
  const base = (action.key.split(".").pop() ?? "step").replace(/[^A-Za-z0-9_-]/g, "") || "step";
  const taken = new Set(steps.map((step) => step.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
  return id;
}
