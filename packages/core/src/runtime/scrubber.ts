import type { IntegrationError } from "../errors";
import type { Json } from "../json";
import { mayContainRegisteredToken } from "../provider-kit/secret-shapes";
import { isSecretKeyName, redactSecrets } from "../redact-secrets";

export const REDACTED = "[REDACTED]";

/**
 * What a JSON text must contain for `json` to change anything in it, once `KEY_SEPARATORS` are taken out: a word
 * of every secret-named key (`isSecretKeyName`: token, secret, password/passwd, apiKey, authorization, cookie,
 * code_verifier, ...) and of every generic credential pattern `redactSecrets` looks for (Bearer, Basic, the
 * `eyJ` of a JWT).
 */
const MAY_NEED_SCRUBBING = /token|secret|key|pass|verifier|auth|bearer|basic|eyj|cookie/i;
/**
 * What `isSecretKeyName` ignores in a key (`-`, `_`, `.`, whitespace), also as JSON writes a control character
 * (`\n`, `\u000b`), so `Api-Key` and `pass\tword` are found as `ApiKey` and `password` are.
 */
const KEY_SEPARATORS = /[-_.\s]|\\[nrtbf]|\\u00[01][0-9a-fA-F]/g;

/** Removes credentials from everything the runtime writes down: task params, outputs, errors, log lines. */
export class Scrubber {
  private readonly secrets = new Set<string>();
  private sorted: string[] | undefined;
  /** A known secret that JSON would escape (a quote, a backslash, a control character) cannot be found in a JSON text. */
  private escapedInJson = false;

  /** Remember a credential value of this run so it is scrubbed wherever it shows up. */
  add(...values: ReadonlyArray<string | undefined>): void {
    for (const value of values) {
      if (!value || value.length < 6) continue;
      this.secrets.add(value);
      if (JSON.stringify(value).length !== value.length + 2) this.escapedInJson = true;
    }
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
   * `value` as JSON (a copy: what a replay returns, `toJson`), scrubbed as `json` scrubs it. One serialization
   * serves both: the walk that builds a scrubbed copy only runs when the text holds something it could change,
   * which a task's params and outputs rarely do.
   */
  copy(value: unknown, redactPaths: readonly string[] = []): Json | undefined {
    const text = value === undefined ? undefined : JSON.stringify(value);
    if (text === undefined) return undefined;
    const parsed = JSON.parse(text) as Json;
    return redactPaths.length === 0 && !this.mayChange(text) ? parsed : this.json(parsed, redactPaths);
  }

  /** Whether `json` could change anything in the value `text` serializes. */
  private mayChange(text: string): boolean {
    return (
      this.escapedInJson ||
      MAY_NEED_SCRUBBING.test(text.replace(KEY_SEPARATORS, "")) ||
      mayContainRegisteredToken(text.toLowerCase()) ||
      this.known.some((secret) => text.includes(secret))
    );
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
