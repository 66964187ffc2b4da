import { dnsFailureHost } from "../classify";
import type { DisplayProperty } from "../display";
import type { IntegrationError } from "../errors";

/** The task a provider error came from, as `describeTaskFailure` names it. */
export interface FailedTaskContext {
  /** The SDK method, `issues.createComment`; the task's name when no method was seen. */
  method: string;
  /** The task's own key, serialized. */
  taskKey: string;
  /** The task's display properties: the resource it acted on is read from them. */
  properties: readonly DisplayProperty[];
}

// Free text a task shows (a message body, a title) or a walk's bound: not where the call acted.
const NOT_RESOURCE_LABELS: ReadonlySet<string> = new Set([
  "text",
  "body",
  "title",
  "description",
  "comment",
  "limit",
  "message",
]);

/**
 * The resource a task acted on, from its display properties: the values of its first three properties that are
 * not free text, a `#12` glued to what precedes it (`octo-org/hello#7`), the rest space-separated.
 */
export function resourceOf(properties: readonly DisplayProperty[]): string {
  let resource = "";
  const parts = properties.filter((p) => !NOT_RESOURCE_LABELS.has(p.label.toLowerCase())).slice(0, 3);
  for (const { text } of parts) {
    resource += resource === "" || text.startsWith("#") ? text : ` ${text}`;
  }
  return resource;
}

/**
 * HTTP's reason phrase for a status (`Not Found`), from Node's own table, loaded on the first failure described:
 * importing `node:http` made importing core several times slower (and ~10 MiB larger), for a table a run that
 * never fails does not read. Node before 22.3 has no `getBuiltinModule`: the status is then shown without it.
 */
function statusPhrase(status: number): string {
  return process.getBuiltinModule?.("node:http")?.STATUS_CODES[status] ?? "";
}

/** What went wrong, short: the HTTP status with its phrase, the provider's code, the host a DNS lookup missed. */
function failureDetail(error: IntegrationError): string {
  const parts: string[] = [];
  if (error.status !== undefined) parts.push(`${error.status} ${statusPhrase(error.status)}`.trim());
  if (error.code !== undefined && error.code !== String(error.status)) {
    const host = dnsFailureHost(error.cause);
    parts.push(host === undefined ? error.code : `${error.code} ${host}`);
  }
  return [error.type, ...parts].join(", ");
}

/** The provider's own message when it says more than the status and code already do. */
function extraMessage(error: IntegrationError, provider: string): string | undefined {
  // Some providers append a documentation link to every message (` - https://...`): the status already says as much.
  const message = error.message
    .replace(/ - https?:\/\/\S+$/, "")
    .replace(/\s+/g, " ")
    .trim();
  const lower = message.toLowerCase();
  if (message === "") return undefined;
  if (error.status !== undefined && lower === statusPhrase(error.status).toLowerCase()) return undefined;
  // "An API error occurred: channel_not_found" or "getaddrinfo ENOTFOUND api.example.invalid" end in what the
  // detail already says; 'Validation Failed: {"field":"per_page","code":"invalid"}' says more than its code.
  if (error.code !== undefined) {
    const host = dnsFailureHost(error.cause);
    const ending = message.replace(/[.\s]+$/, "");
    if (ending.endsWith(error.code) || (host !== undefined && ending.endsWith(`${error.code} ${host}`)))
      return undefined;
  }
  if (lower.startsWith(`${provider.toLowerCase()} responded`)) return undefined;
  return message;
}

/**
 * The provider error of a task, saying what failed: provider, method, task key, type with status or code, and
 * the resource, then the provider's own message when it adds something:
 * `[acme] widgets.create "add-widget" failed (schema, 404 Not Found): shop/widgets#7`.
 * Sets `method` and `taskKey`; an error that already names its task (a nested task's) is returned as it is.
 */
export function describeTaskFailure(error: IntegrationError, context: FailedTaskContext): IntegrationError {
  if (error.taskKey !== undefined) return error;
  const resource = resourceOf(context.properties);
  const extra = extraMessage(error, error.provider);
  const message =
    `[${error.provider}] ${context.method} ${JSON.stringify(context.taskKey)} failed (${failureDetail(error)})` +
    (resource === "" ? "" : `: ${resource}`) +
    (extra === undefined ? "" : ` — ${extra}`);
  return error.with({ message, method: context.method, taskKey: context.taskKey });
}
