import type { WorkflowRecord, WorkflowStore } from "./workflow-store";

/**
 * The webhook dispatcher's copy of each provider's triggered workflows, so a delivery does not query them again.
 * `revalidate` reads the store's workflows version (one row, bumped by any process that writes a workflow) and
 * drops every list when it moved; the dispatcher calls it once per batch read from the inbox, after the read, so
 * every delivery of the batch sees every workflow written before that delivery was accepted.
 */
export interface TriggeredWorkflowCache {
  /** Drops the cached lists if any workflow was written since the last call. */
  revalidate(): Promise<void>;
  /** The provider's triggered workflows; from the store until `revalidate` has run once, then cached. */
  list(provider: string): Promise<WorkflowRecord[]>;
}

/** A cache over `store`'s `listTriggeredWorkflows`, revalidated by `workflowsVersion`. */
export function createTriggeredWorkflowCache(store: WorkflowStore): TriggeredWorkflowCache {
  let version: number | undefined;
  const lists = new Map<string, Promise<WorkflowRecord[]>>();
  return {
    async revalidate() {
      const current = await store.workflowsVersion();
      if (current !== version) lists.clear();
      version = current;
    },
    list(provider) {
      // Before the first revalidation there is no version the lists could be checked against.
      if (version === undefined) return store.listTriggeredWorkflows(provider);
      let listed = lists.get(provider);
      if (!listed) {
        // Read after the version it is filed under: a write in between moves the version, the next revalidation
        // drops this list, and the one after that re-reads it.
        listed = store.listTriggeredWorkflows(provider);
        lists.set(provider, listed);
        // A failed read is not kept: the next delivery asks the store again.
        listed.catch(() => {
          if (lists.get(provider) === listed) lists.delete(provider);
        });
      }
      return listed;
    },
  };
}
