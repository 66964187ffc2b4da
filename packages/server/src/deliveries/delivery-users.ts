import type { ConnectionStore, InboxEntry, Job } from "@autoflow/core";
import type { DeliveryUsers } from "./dead-letters";

/** Options for `deliveryUsers`. */
export interface DeliveryUsersOptions {
  connections: ConnectionStore;
  /** The code jobs `startServer({ jobs })` runs, owned by `jobsUserId`. */
  jobs: readonly Job[];
  jobsUserId?: string;
  /** The owners of the stored workflows the delivery starts (the tenancy rules), when known. */
  workflowUsers?: DeliveryUsers;
}

/**
 * Who a delivery concerns, for its dead letter: the owner of the connection whose webhook secret verified it,
 * `jobsUserId` when one of the code jobs' triggers matches it, and whoever `workflowUsers` names. A delivery
 * verified by a provider-wide secret that no code job matches concerns only the users `workflowUsers` names (no
 * one without it): an unattributed delivery is shown to no one rather than to everyone.
 */
export function deliveryUsers(options: DeliveryUsersOptions): DeliveryUsers {
  return async (entry: InboxEntry) => {
    const users = new Set<string>();
    if (entry.auth?.kind === "connection") {
      const connection = await options.connections.getConnection(entry.auth.connectionId);
      if (connection) users.add(connection.userId);
    }
    if (options.jobsUserId !== undefined && options.jobs.some((job) => matches(job, entry))) {
      users.add(options.jobsUserId);
    }
    for (const user of (await options.workflowUsers?.(entry)) ?? []) users.add(user);
    return [...users];
  };
}

function matches(job: Job, entry: InboxEntry): boolean {
  const trigger = job.trigger;
  if (trigger?.kind !== "webhook" || trigger.provider !== entry.provider) return false;
  try {
    return trigger.matches(entry);
  } catch {
    // A trigger that cannot read the entry is likely why it is dead: it still concerns the jobs' owner.
    return true;
  }
}
