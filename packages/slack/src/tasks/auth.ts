import { type IntegrationTaskKey, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { AuthTestArguments, AuthTestResponse, WebClient } from "@slack/web-api";

/** `io.slack.auth`: who the token is. Other `auth.*` methods pass through. */
export class Auth extends TaskNamespace<WebClient> {
  /**
   * Checks the token and tells who it belongs to: team, user and bot.
   * @see https://docs.slack.dev/reference/methods/auth.test
   */
  test(key: IntegrationTaskKey, params?: AuthTestArguments): Promise<TaskOutput<AuthTestResponse>> {
    return this.task(key, (client) => client.auth.test(params), {
      name: "Test Auth",
      ...(params !== undefined && { params }),
      idempotency: "idempotent",
    });
  }
}
