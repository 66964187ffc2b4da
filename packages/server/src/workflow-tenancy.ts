import {
  type ActionProviders,
  invalidPlanError,
  resolveWorkflowTrigger,
  type ScopeCheckResult,
  type TriggerRegistry,
  type WorkflowTrigger,
} from "@autoflow/actions";
import { type InboxEntry, type TriggerScope, tenantWithinScope } from "@autoflow/core";
import type { ProviderLifecycles } from "./http/app";
import type { WorkflowRecord } from "./stores/workflow-store";

/** What `checkTriggerScope` needs: the user, the trigger as saved, and how to reach the user's connections. */
export interface TriggerScopeCheckOptions {
  userId: string;
  trigger: WorkflowTrigger;
  triggers: TriggerRegistry;
  lifecycles: ProviderLifecycles;
  /** How the provider's API is reached (the emulator, GHES), as the actions reach it. */
  actionProviders?: ActionProviders;
}

/**
 * Checks, when a workflow is saved, that the user's connection can see what its trigger's scope inputs name, with the
 * provider's own check (`TriggerDefinition.scope`): the user's live connections of the trigger's provider are tried
 * newest first, and the first that sees the scope is bound to it. Throws a `schema` IntegrationError (a 400) naming
 * the field when the trigger declares no scope, the user has no connection, or none of them can see it.
 */
export async function checkTriggerScope(options: TriggerScopeCheckOptions): Promise<TriggerScope> {
  const { userId, trigger, lifecycles } = options;
  const resolved = resolveWorkflowTrigger(trigger, options.triggers);
  // validateWorkflow ran first and refused these; kept so this function is safe on its own.
  if (!resolved.ok) throw invalidPlanError("invalid_workflow", resolved.problems);
  const { definition, inputs } = resolved;
  const refuse = (problem: string) => invalidPlanError("invalid_workflow", [problem]);
  if (!definition.scope) {
    throw refuse(
      `trigger.key: ${definition.key} declares no tenancy scope, so a stored workflow cannot use it`,
    );
  }
  const lifecycle = lifecycles[definition.provider];
  // Newest first, leaving out those whose credential cannot be read (`needsReauth`): they cannot check anything.
  const connections = lifecycle
    ? [...(await lifecycle.listConnections(userId))].filter((listed) => !listed.needsReauth).reverse()
    : [];
  if (connections.length === 0) {
    throw refuse(
      `trigger: connect a ${definition.provider} account first; the trigger's ${definition.scope.fields.join("/")} ` +
        "are checked against your connection",
    );
  }
  let refusal: Extract<ScopeCheckResult, { ok: false }> | undefined;
  for (const connection of connections as readonly ({ id: string } & Record<string, unknown>)[]) {
    const auth = await lifecycle?.authFor(userId, { connectionId: connection.id });
    if (!auth) continue;
    const result = await definition.scope.check(
      inputs,
      { id: connection.id, auth, metadata: connection },
      options.actionProviders ? { providers: options.actionProviders } : {},
    );
    if (result.ok) {
      return {
        connectionId: connection.id,
        account: result.account,
        ...(result.resource !== undefined && { resource: result.resource }),
      };
    }
    refusal ??= result;
  }
  throw refuse(
    `trigger.inputs.${refusal?.field ?? definition.scope.fields[0]}: ${refusal?.message ?? "not visible"}`,
  );
}

/**
 * Which users a delivery concerns, from the tenancy recorded with it. A delivery verified with one connection's
 * secret concerns that connection's owner only; a provider-wide one, the users whose workflow scope (checked when
 * saved, bound to a connection that is still live) holds its tenant. One instance per dispatch caches connections.
 */
export interface DeliveryAudience {
  /** Whether `workflow` may start from `entry`: its scope holds the tenant, and its owner's connections allow it. */
  admits(workflow: WorkflowRecord, entry: InboxEntry): Promise<boolean>;
  /** Whether `entry` concerns `userId` (the connection it came through is theirs, or it is inside one of their workflows' scopes). */
  visibleTo(userId: string, entry: InboxEntry, workflows: readonly WorkflowRecord[]): Promise<boolean>;
}

/** A `DeliveryAudience` over the providers' lifecycles (live connections only: a revoked one admits nothing). */
export function createDeliveryAudience(lifecycles: ProviderLifecycles): DeliveryAudience {
  const live = new Map<string, Promise<Set<string>>>();
  const liveConnections = (userId: string, provider: string) => {
    const key = `${provider}\n${userId}`;
    let found = live.get(key);
    if (!found) {
      const lifecycle = lifecycles[provider];
      found = lifecycle
        ? Promise.resolve(lifecycle.listConnections(userId)).then(
            (list) => new Set(list.map((connection) => (connection as { id: string }).id)),
          )
        : Promise.resolve(new Set<string>());
      live.set(key, found);
    }
    return found;
  };
  const viaOwnConnection = async (userId: string, entry: InboxEntry) =>
    entry.auth?.kind !== "connection" ||
    (await liveConnections(userId, entry.provider)).has(entry.auth.connectionId);

  const admits = async (workflow: WorkflowRecord, entry: InboxEntry) => {
    const scope = workflow.triggerScope;
    // No scope: stored before scopes were checked, and paused until saved again.
    if (!scope || !tenantWithinScope(entry.tenant, scope)) return false;
    if (!(await liveConnections(workflow.userId, entry.provider)).has(scope.connectionId)) return false;
    return viaOwnConnection(workflow.userId, entry);
  };

  return {
    admits,
    async visibleTo(userId, entry, workflows) {
      if (entry.auth?.kind === "connection") return viaOwnConnection(userId, entry);
      for (const workflow of workflows) {
        if (workflow.userId === userId && (await admits(workflow, entry))) return true;
      }
      return false;
    },
  };
}
