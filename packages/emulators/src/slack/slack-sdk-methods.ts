import type { SdkOperation } from "../shared/emulator-descriptor";

/** `WebClient` helpers that are not Web API methods: `files.uploadV2` calls the two external-upload methods. */
const SLACK_HELPERS = new Set(["files.uploadV2"]);

/**
 * Every Web API method of `@slack/web-api` (the module, as `OPERATIONS.md`'s script imports it), as the
 * operation it calls: `/chat.postMessage` (Slack's description is matched by path alone).
 */
export function slackSdkMethods(sdk: Record<string, unknown>): SdkOperation[] {
  const WebClient = sdk.WebClient as new () => Record<string, unknown>;
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
  walk(new WebClient(), "");
  return found;
}
