import { type ConnectionAuth, IntegrationError } from "@autoflow/core";
import type { TriggerContext } from "./define-trigger";

/**
 * What a catalogue poller lists with: the workflow's connection's auth as it is now, asked before every poll (a
 * refreshed OAuth token is used at once). Without a connection (a poller built where nothing polls) every poll fails
 * as `auth`, naming the trigger.
 */
export function pollingConnectionAuth(
  provider: string,
  trigger: string,
  context?: TriggerContext,
): () => Promise<ConnectionAuth> {
  return async () => {
    if (!context?.connection) {
      throw new IntegrationError({
        type: "auth",
        provider,
        code: "no_connection",
        message: `${trigger} polls with a connection, and none was given`,
      });
    }
    return context.connection.auth();
  };
}
