import { IntegrationError } from "@autoflow/core";
import type { z } from "zod";

const unknownMarker = Symbol.for("autoflow.error.UnknownActionError");

/** A step names an action key the registry does not have. */
export class UnknownActionError extends Error {
  override readonly name = "UnknownActionError";
  readonly key: string;

  constructor(key: string, known: readonly string[]) {
    super(
      `Unknown action "${key}": the registry has ${known.map((k) => `"${k}"`).join(", ") || "no actions"}`,
    );
    this.key = key;
    Object.defineProperty(this, unknownMarker, { value: true });
  }

  static isInstance(error: unknown): error is UnknownActionError {
    return (
      typeof error === "object" &&
      error !== null &&
      (error as Record<symbol, unknown>)[unknownMarker] === true
    );
  }
}

/** One line per zod issue, each starting with the field's path: `channel: Too small: ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return path === "" ? issue.message : `${path}: ${issue.message}`;
    })
    .join("; ");
}

/** The `schema` error for inputs that fail the action's `inputSchema`; it names every bad field. */
export function invalidInputsError(key: string, provider: string, error: z.ZodError): IntegrationError {
  return new IntegrationError({
    type: "schema",
    provider,
    code: "invalid_inputs",
    message: `Invalid inputs for ${key}: ${describeIssues(error.issues)}`,
    cause: error,
  });
}

const unknownTriggerMarker = Symbol.for("autoflow.error.UnknownTriggerError");

/** A workflow names a trigger key the trigger registry does not have. */
export class UnknownTriggerError extends Error {
  override readonly name = "UnknownTriggerError";
  readonly key: string;

  constructor(key: string, known: readonly string[]) {
    super(
      `Unknown trigger "${key}": the registry has ${known.map((k) => `"${k}"`).join(", ") || "no triggers"}`,
    );
    this.key = key;
    Object.defineProperty(this, unknownTriggerMarker, { value: true });
  }

  static isInstance(error: unknown): error is UnknownTriggerError {
    return (
      typeof error === "object" &&
      error !== null &&
      (error as Record<symbol, unknown>)[unknownTriggerMarker] === true
    );
  }
}
