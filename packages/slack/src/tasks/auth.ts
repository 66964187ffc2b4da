import type { IntegrationTaskKey, TaskOutput } from "@autoflow/core";
import type { AuthTestArguments, AuthTestResponse } from "@slack/web-api";
import type { SlackRunTask } from "../run-task";

/** `io.slack.auth`: who the token is. Other `auth.*` methods pass through. */
export class Auth {
  constructor(private readonly runTask: SlackRunTask) {}

  /**
   * Checks the token and tells who it belongs to: team, user and bot.
   * @see https://docs.slack.dev/reference/methods/auth.test
   */
  test(key: IntegrationTaskKey, params?: AuthTestArguments): Promise<TaskOutput<AuthTestResponse>> {
    return this.runTask(key, (client) => client.auth.test(params), {
      name: "Test Auth",
      ...(params !== undefined && { params }),
    });
  }
}
