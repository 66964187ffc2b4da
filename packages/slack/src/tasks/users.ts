import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type {
  UsersInfoArguments,
  UsersInfoResponse,
  UsersListArguments,
  UsersListResponse,
  UsersLookupByEmailArguments,
  UsersLookupByEmailResponse,
  WebClient,
} from "@slack/web-api";

/** `io.slack.users`: people in the workspace. Other `users.*` methods pass through. */
export class Users extends TaskNamespace<WebClient> {
  /**
   * Lists the workspace's users (one page; pass `cursor` for the next).
   * @see https://docs.slack.dev/reference/methods/users.list
   */
  list(key: IntegrationTaskKey, params: UsersListArguments): Promise<TaskOutput<UsersListResponse>> {
    return this.task(key, (client) => client.users.list(params), {
      name: "List Users",
      params,
      properties: propertiesOf(params, { Cursor: "cursor" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Reads a user's profile.
   * @see https://docs.slack.dev/reference/methods/users.info
   */
  info(key: IntegrationTaskKey, params: UsersInfoArguments): Promise<TaskOutput<UsersInfoResponse>> {
    return this.task(key, (client) => client.users.info(params), {
      name: "User Info",
      params,
      properties: propertiesOf(params, { User: "user" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Finds a user by email address.
   * @see https://docs.slack.dev/reference/methods/users.lookupByEmail
   */
  lookupByEmail(
    key: IntegrationTaskKey,
    params: UsersLookupByEmailArguments,
  ): Promise<TaskOutput<UsersLookupByEmailResponse>> {
    return this.task(key, (client) => client.users.lookupByEmail(params), {
      name: "Look Up User by Email",
      params,
      properties: propertiesOf(params, { Email: "email" }),
      idempotency: "idempotent",
    });
  }
}
