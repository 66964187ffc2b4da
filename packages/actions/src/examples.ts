import { describeIssues } from "./errors";
import type { Schema } from "./schema";

/**
 * Checks a definition's `examples` when the action or trigger is defined: at least one, each a valid input of
 * `schema`, so a form never shows a placeholder the step would refuse. Returns them frozen; throws a TypeError
 * naming the example and every zod issue.
 */
export function checkExamples(
  where: string,
  schema: Schema,
  examples: readonly unknown[] | undefined,
): readonly unknown[] | undefined {
  if (examples === undefined) return undefined;
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new TypeError(`${where}: examples must be a list of one or more valid inputs (or left out)`);
  }
  examples.forEach((example, index) => {
    const parsed = schema.safeParse(example);
    if (!parsed.success) {
      throw new TypeError(
        `${where}: examples[${index}] is not a valid input: ${describeIssues(parsed.error.issues)}`,
      );
    }
  });
  return Object.freeze([...examples]);
}
