import type { IntegrationError } from "../errors";
import type { Json } from "../json";
import { isSecretKeyName, redactSecrets } from "../redact-secrets";

export const REDACTED = "[REDACTED]";

/** Removes credentials from everything the runtime writes down: task params, outputs, errors, log lines. */
export class Scrubber {
  private readonly secrets = new Set<string>();
  private sorted: string[] | undefined;

  /** Remember a credential value of this run so it is scrubbed wherever it shows up. */
  add(...values: ReadonlyArray<string | undefined>): void {
    for (const value of values) if (value && value.length >= 6) this.secrets.add(value);
    this.sorted = undefined;
  }

  text(value: string): string {
    return redactSecrets(value, this.known);
  }

  private get known(): readonly string[] {
    this.sorted ??= [...this.secrets];
    return this.sorted;
  }

  /** The same error with this run's credentials removed from its message (its `cause` is kept as thrown). */
  error(error: IntegrationError): IntegrationError {
    const message = this.text(error.message);
    if (message === error.message) return error;
    return error.with({ message });
  }

  /**
   * Scrubs a JSON value: secret-named keys, values matching `redactPaths` (dot paths, `*` for any one
   * segment) and any string containing a known or well-known credential.
   */
  json<T extends Json | undefined>(value: T, redactPaths: readonly string[] = []): T {
    const paths = redactPaths.map((p) => p.split("."));
    return this.walk(value, paths.length > 0 ? [] : undefined, paths) as T;
  }

  /** `path` is only tracked when redact paths were given: building it for every node is the walk's main cost. */
  private walk(value: Json | undefined, path: string[] | undefined, paths: string[][]): Json | undefined {
    if (path && paths.some((p) => matches(p, path))) return REDACTED;
    if (typeof value === "string") return this.text(value);
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value))
      return value.map((item, i) => this.walk(item, path && [...path, String(i)], paths) ?? null);
    const out: Record<string, Json | undefined> = {};
    for (const key in value) {
      const child = value[key];
      out[key] =
        isSecretKeyName(key) && child !== null && typeof child !== "object"
          ? REDACTED
          : this.walk(child, path && [...path, key], paths);
    }
    return out;
  }
}

function matches(pattern: string[], path: string[]): boolean {
  return (
    pattern.length === path.length && pattern.every((segment, i) => segment === "*" || segment === path[i])
  );
}
