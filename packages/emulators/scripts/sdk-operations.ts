// Every method of each provider's official SDK, as the operation it calls, so OPERATIONS.md can list the methods
// the provider's pinned description does not cover (Slack's dates from 2020; the SDKs are newer). Dev-only: the
// SDKs are the package's devDependencies, read by `scripts/operations-list.ts` and its test, never at run time.
import { WebClient } from "@slack/web-api";
import { Octokit } from "octokit";

/** One SDK method and the operation it calls, keyed as the description's operations are (`METHOD /path`). */
export interface SdkOperation {
  /** The SDK's name for it: `chat.postMessage`, `issues.lock`. */
  method: string;
  /** GitHub: `PUT /repos/{owner}/{repo}/issues/{issue_number}/lock`. Slack (matched by path alone): `/chat.postMessage`. */
  operation: string;
}

/** `WebClient` helpers that are not Web API methods: `files.uploadV2` calls the two external-upload methods. */
const SLACK_HELPERS = new Set(["files.uploadV2"]);

function slackMethods(): SdkOperation[] {
  const found: SdkOperation[] = [];
  // The Web API methods are the functions nested in plain objects on the client (`client.chat.postMessage`).
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(node)) {
      const name = `${prefix}${key}`;
      if (typeof value === "function" && prefix !== "" && !SLACK_HELPERS.has(name)) {
        found.push({ method: name, operation: `/${name}` });
      } else if (
        value !== null &&
        typeof value === "object" &&
        Object.getPrototypeOf(value) === Object.prototype
      ) {
        walk(value as Record<string, unknown>, `${name}.`);
      }
    }
  };
  walk(new WebClient() as unknown as Record<string, unknown>, "");
  return found;
}

function githubMethods(): SdkOperation[] {
  const rest = new Octokit().rest as unknown as Record<
    string,
    Record<string, { endpoint?: { DEFAULTS?: { method: string; url: string } } }>
  >;
  return Object.entries(rest).flatMap(([namespace, methods]) =>
    Object.entries(methods).flatMap(([name, method]) => {
      const defaults = method.endpoint?.DEFAULTS;
      return defaults
        ? [{ method: `${namespace}.${name}`, operation: `${defaults.method} ${defaults.url}` }]
        : [];
    }),
  );
}

/** Per provider of the command (`CLI_PROVIDERS`), its SDK's methods; `byPathOnly` when operations match by path. */
export const SDK_OPERATIONS: Record<
  string,
  { sdk: string; byPathOnly: boolean; list: () => SdkOperation[] }
> = {
  slack: { sdk: "@slack/web-api", byPathOnly: true, list: slackMethods },
  github: { sdk: "octokit", byPathOnly: false, list: githubMethods },
};
