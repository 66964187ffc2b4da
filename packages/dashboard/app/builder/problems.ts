/**
 * @module
 * A refused definition's `problems` (`[{ path: "steps.1.inputs.text", message }]`) placed on the fields they name.
 */
import type { Problem } from "../lib/types";

/** rjsf's error shape: `{ text: { __errors: ["..."] } }`. */
export interface FieldErrors {
  __errors?: string[];
  [field: string]: FieldErrors | string[] | undefined;
}

/** The problems under `prefix` (`steps.1.inputs`) as rjsf's `extraErrors`; the rest of the path nests. */
export function errorsUnder(problems: readonly Problem[], prefix: string): FieldErrors | undefined {
  let errors: FieldErrors | undefined;
  for (const problem of problems) {
    if (!problem.path.startsWith(`${prefix}.`)) continue;
    errors ??= {};
    let node = errors;
    for (const segment of problem.path.slice(prefix.length + 1).split(".")) {
      node[segment] ??= {};
      node = node[segment] as FieldErrors;
    }
    node.__errors = [...(node.__errors ?? []), problem.message];
  }
  return errors;
}

/** The messages of the problems at exactly `path`. */
export function messagesAt(problems: readonly Problem[], path: string): string[] {
  return problems.filter((problem) => problem.path === path).map((problem) => problem.message);
}

/** The problems that name none of `shown` (neither exactly nor as a prefix): shown in the page's summary. */
export function unplaced(problems: readonly Problem[], shown: readonly string[]): Problem[] {
  return problems.filter(
    (problem) => !shown.some((path) => problem.path === path || problem.path.startsWith(`${path}.`)),
  );
}
