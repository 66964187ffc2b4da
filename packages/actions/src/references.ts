import { IntegrationError } from "@autoflow/core";
import type { z } from "zod";
import { describeMiss, findSchemaPathMiss } from "./schema-paths";

/**
 * References between steps. A step's inputs may name an earlier step's output (or the run's trigger
 * payload) in two ways:
 *
 * - a string template, `"Issue {{steps.issue.output.url}} opened"`: each `{{ ... }}` is replaced by the
 *   value's text (strings as they are, anything else as JSON);
 * - a whole typed value, `{ "$ref": "steps.issue.output.number" }` (an object with `$ref` as its only key):
 *   replaced by the value itself, so a number stays a number.
 *
 * A reference is `steps.<stepId>.output[.<field>...]` or `trigger[.<field>...]`; a numeric field indexes an
 * array. References are checked when the plan is validated (an unknown or later step is refused before step 1
 * runs) and resolved just before each step runs, from the outputs of the steps before it.
 */

/** One reference found in a step's inputs. */
export interface StepReference {
  /** Where in the inputs it sits, e.g. `text` or `blocks.0.text`. */
  inputPath: string;
  /** The reference as written, e.g. `steps.issue.output.url`. */
  expression: string;
  /** What it points at. */
  target: ReferenceTarget;
}

/** A parsed reference: an earlier step's output or the trigger payload, and a field path inside it. */
export type ReferenceTarget =
  | { kind: "step"; stepId: string; path: string[] }
  | { kind: "trigger"; path: string[] };

/** What references resolve against while a run executes. */
export interface ReferenceScope {
  /** The outputs of the steps that already ran, by step id. */
  outputs: ReadonlyMap<string, unknown>;
  /** The payload the run was started with. */
  trigger?: unknown;
}

const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SEGMENT = /^[A-Za-z0-9_$-]+$/;

/** `text` with every `{{ ... }}` template replaced by a space: what of it is literal, not filled in at run time. */
export function withoutTemplates(text: string): string {
  return text.replace(TEMPLATE, " ");
}

/** Parses `steps.<id>.output[.path]` or `trigger[.path]`; a message saying what is wrong otherwise. */
export function parseReference(expression: string): ReferenceTarget | { error: string } {
  const parts = expression.split(".");
  if (parts.some((part) => !SEGMENT.test(part))) {
    return {
      error: `"${expression}" is not a reference: use steps.<stepId>.output.<field> or trigger.<field>`,
    };
  }
  if (parts[0] === "trigger") return { kind: "trigger", path: parts.slice(1) };
  if (parts[0] === "steps" && parts.length >= 3 && parts[2] === "output") {
    return { kind: "step", stepId: parts[1] as string, path: parts.slice(3) };
  }
  return {
    error: `"${expression}" is not a reference: use steps.<stepId>.output.<field> or trigger.<field>`,
  };
}

/** `{ $ref: "..." }` with no other key. */
function refOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const ref = (value as { $ref?: unknown }).$ref;
  return keys.length === 1 && typeof ref === "string" ? ref : undefined;
}

const join = (base: string, key: string | number) => (base === "" ? String(key) : `${base}.${key}`);

/**
 * Every reference in `inputs` (templates in strings, `$ref` objects, at any depth), with the malformed
 * ones as `problems`.
 */
export function findReferences(inputs: unknown): {
  references: StepReference[];
  problems: { inputPath: string; message: string }[];
} {
  const references: StepReference[] = [];
  const problems: { inputPath: string; message: string }[] = [];
  const add = (inputPath: string, expression: string) => {
    const target = parseReference(expression);
    if ("error" in target) problems.push({ inputPath, message: target.error });
    else references.push({ inputPath, expression, target });
  };
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      for (const match of value.matchAll(TEMPLATE)) add(path, match[1] ?? "");
      return;
    }
    const ref = refOf(value);
    if (ref !== undefined) add(path, ref);
    else if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, join(path, index));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, join(path, key));
    }
  };
  walk(inputs, "");
  return { references, problems };
}

/** The schemas `checkReferences` checks reference paths against, when they are known. */
export interface ReferenceCheckOptions {
  /** The action and declared output schema of steps, by step id: `steps.<id>.output.<path>` must exist in it. */
  outputs?: ReadonlyMap<string, { action: string; schema: z.core.$ZodType }>;
  /** The workflow trigger's key and payload schema: `trigger.<path>` must exist in it. */
  trigger?: { key: string; schema: z.core.$ZodType };
}

/**
 * The problems with the references of `steps` (each naming the step and input): malformed ones, those that
 * name a step that does not exist or runs later (or the step itself), and, with `options`, paths that the
 * referenced step's output schema or the trigger's payload schema does not have. Empty when all are valid.
 */
export function checkReferences(
  steps: readonly { id: string; inputs?: unknown }[],
  options: ReferenceCheckOptions = {},
): string[] {
  const all = new Set(steps.map((step) => step.id));
  const earlier = new Set<string>();
  const problems: string[] = [];
  for (const [index, step] of steps.entries()) {
    const where = (inputPath: string) => `steps.${index}.inputs${inputPath ? `.${inputPath}` : ""}`;
    const found = findReferences(step.inputs);
    problems.push(...found.problems.map(({ inputPath, message }) => `${where(inputPath)}: ${message}`));
    for (const { inputPath, expression, target } of found.references) {
      if (target.kind === "trigger" || earlier.has(target.stepId)) {
        const wrong = schemaProblem(expression, target, options);
        if (wrong !== undefined) problems.push(`${where(inputPath)}: ${wrong}`);
        continue;
      }
      const why = !all.has(target.stepId)
        ? "there is no such step"
        : target.stepId === step.id
          ? "a step cannot reference its own output"
          : `step "${target.stepId}" runs after step "${step.id}"`;
      problems.push(`${where(inputPath)}: "${expression}" references step "${target.stepId}", but ${why}`);
    }
    earlier.add(step.id);
  }
  return problems;
}

/** Why the target's path is not in its schema (`steps.issue.output.htmlUrl is not an output of ...`), if it is not. */
function schemaProblem(
  expression: string,
  target: ReferenceTarget,
  options: ReferenceCheckOptions,
): string | undefined {
  const checked = schemaOf(target, options);
  if (checked === undefined) return undefined;
  const miss = findSchemaPathMiss(checked.schema, target.path);
  if (miss === undefined) return undefined;
  return `${expression} is not ${checked.what} (${describeMiss(expression, checked.base, miss)})`;
}

function schemaOf(
  target: ReferenceTarget,
  options: ReferenceCheckOptions,
): { schema: z.core.$ZodType; base: string; what: string } | undefined {
  if (target.kind === "trigger") {
    const trigger = options.trigger;
    return trigger && { schema: trigger.schema, base: "trigger", what: `in the payload of ${trigger.key}` };
  }
  const output = options.outputs?.get(target.stepId);
  return (
    output && {
      schema: output.schema,
      base: `steps.${target.stepId}.output`,
      what: `an output of ${output.action}`,
    }
  );
}

/** The value at `path` inside `root`, or `missing` at the first segment that does not exist. */
function lookup(root: unknown, path: readonly string[]): { value: unknown } | { missing: string } {
  let current = root;
  for (const [index, segment] of path.entries()) {
    const container = current as Record<string, unknown> | unknown[] | null;
    const has =
      typeof container === "object" &&
      container !== null &&
      (Array.isArray(container)
        ? /^\d+$/.test(segment) && Number(segment) < container.length
        : Object.hasOwn(container, segment));
    if (!has) return { missing: path.slice(0, index + 1).join(".") };
    current = (container as Record<string, unknown>)[segment];
  }
  return current === undefined ? { missing: path.join(".") } : { value: current };
}

function missingReference(stepId: string, inputPath: string, detail: string): IntegrationError {
  return new IntegrationError({
    type: "schema",
    provider: "autoflow",
    code: "missing_reference",
    message: `Step "${stepId}", input ${inputPath || "inputs"}: ${detail}`,
  });
}

function targetValue(
  target: ReferenceTarget,
  scope: ReferenceScope,
): { value: unknown } | { missing: string } {
  if (target.kind === "trigger") return lookup(scope.trigger, target.path);
  return lookup(scope.outputs.get(target.stepId), target.path);
}

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * `inputs` with every reference replaced by its value from `scope`, for step `stepId`. A reference whose
 * step has no output yet, or whose path does not exist in it, is a `schema` IntegrationError
 * (`missing_reference`) naming the step, the input and the path.
 */
export function resolveReferences(inputs: unknown, scope: ReferenceScope, stepId: string): unknown {
  const resolve = (expression: string, inputPath: string): unknown => {
    const target = parseReference(expression);
    if ("error" in target) throw missingReference(stepId, inputPath, target.error);
    if (target.kind === "step" && !scope.outputs.has(target.stepId)) {
      throw missingReference(stepId, inputPath, `"${expression}": step "${target.stepId}" has not run`);
    }
    const found = targetValue(target, scope);
    if ("missing" in found) {
      const owner = target.kind === "step" ? `step "${target.stepId}"'s output` : "the trigger payload";
      throw missingReference(stepId, inputPath, `"${expression}": ${owner} has no "${found.missing}"`);
    }
    return found.value;
  };
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === "string") {
      return value.replace(TEMPLATE, (_match, expression: string) => text(resolve(expression, path)));
    }
    const ref = refOf(value);
    if (ref !== undefined) return resolve(ref, path);
    if (Array.isArray(value)) return value.map((item, index) => walk(item, join(path, index)));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, join(path, key))]),
      );
    }
    return value;
  };
  return walk(inputs, "");
}
