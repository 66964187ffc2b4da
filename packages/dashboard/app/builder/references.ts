/**
 * @module
 * References between steps, as the API stores them: a string input holds `{{steps.<id>.output.<path>}}` or
 * `{{trigger.<path>}}` templates, any input may be a whole value `{ "$ref": "steps.<id>.output.<path>" }`. What
 * the builder offers comes from the schemas the API checks references against: the earlier steps' `outputSchema`
 * and the trigger's `payloadSchema`.
 */
import type { CatalogAction, CatalogTrigger, JsonSchema, WorkflowStep } from "../lib/types";

/** A reference the builder offers: the path saved in the workflow, and the group it is listed under. */
export interface OfferedReference {
  path: string;
  group: string;
}

/** The same pattern as the API's: `{{ ... }}` without braces inside. */
const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const MAX_DEPTH = 4;

/** Every property path of an object schema (`issue`, `issue.number`, ...), parents before their children. */
export function schemaPaths(schema: JsonSchema | undefined, depth = 0): string[] {
  if (!schema || depth >= MAX_DEPTH) return [];
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties || typeof properties !== "object") return [];
  return Object.entries(properties).flatMap(([name, child]) => [
    name,
    ...schemaPaths(child, depth + 1).map((path) => `${name}.${path}`),
  ]);
}

/**
 * What step `index` may reference: the trigger's payload, then each EARLIER step's output, never its own or a
 * later one's (the API refuses those).
 */
export function offeredReferences(
  steps: readonly WorkflowStep[],
  index: number,
  actions: ReadonlyMap<string, CatalogAction>,
  trigger: CatalogTrigger | undefined,
): OfferedReference[] {
  const offered: OfferedReference[] = [];
  if (trigger?.payloadSchema) {
    for (const path of schemaPaths(trigger.payloadSchema))
      offered.push({ path: `trigger.${path}`, group: `Trigger: ${trigger.name}` });
  }
  for (const step of steps.slice(0, Math.max(0, index))) {
    const action = actions.get(step.action);
    for (const path of schemaPaths(action?.outputSchema))
      offered.push({
        path: `steps.${step.id}.output.${path}`,
        group: `Step ${step.id}: ${action?.name ?? step.action}`,
      });
  }
  return offered;
}

/** The references a string holds, in order (the same one twice is listed twice). */
export function templateReferences(value: string): string[] {
  return [...value.matchAll(TEMPLATE)].map((match) => match[1] ?? "");
}

/** `value` with each template's reference replaced by what `rewrite` answers for it, the template's spacing kept. */
export function rewriteTemplates(value: string, rewrite: (reference: string) => string): string {
  return value.replace(TEMPLATE, (whole, reference: string) => {
    const rewritten = rewrite(reference);
    // A function, not a string: a step id may hold `$`, which a replacement string would read as a pattern.
    return rewritten === reference ? whole : whole.replace(reference, () => rewritten);
  });
}

/** `value` without its `occurrence`-th template (counted from 0). */
export function removeTemplate(value: string, occurrence: number): string {
  let seen = -1;
  return value.replace(TEMPLATE, (whole) => (++seen === occurrence ? "" : whole)).replace(/ {2,}/g, " ");
}

/** `value` with `{{path}}` inserted at `at` (the caret), or appended after a space. */
export function insertTemplate(value: string, path: string, at?: number): string {
  const template = `{{${path}}}`;
  if (at === undefined || at < 0 || at > value.length)
    return value && !value.endsWith(" ") ? `${value} ${template}` : `${value}${template}`;
  return `${value.slice(0, at)}${template}${value.slice(at)}`;
}

/** A whole-value reference: `{ "$ref": "..." }` and nothing else. */
export function isWholeReference(value: unknown): value is { $ref: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { $ref?: unknown }).$ref === "string"
  );
}

/** Whether a property of this schema takes text (so a reference goes in as a template, not a whole value). */
export function takesText(schema: JsonSchema | undefined): boolean {
  const type = schema?.type;
  return type === "string" || (Array.isArray(type) && type.includes("string"));
}
