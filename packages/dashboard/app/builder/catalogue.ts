/**
 * @module
 * What the builder reads once: the action and trigger catalogues, the providers and the user's live connections
 * of each.
 */
import { api } from "../lib/api";
import type { CatalogAction, CatalogTrigger, Connection, Provider } from "../lib/types";

/** The catalogues and the user's connections, with the look-ups the builder needs. */
export interface Catalogue {
  actions: CatalogAction[];
  triggers: CatalogTrigger[];
  action(key: string): CatalogAction | undefined;
  trigger(key: string): CatalogTrigger | undefined;
  actionsByKey: ReadonlyMap<string, CatalogAction>;
  /** A provider of `GET /api/providers` (one the user can connect). */
  isProvider(id: string): boolean;
  /** The provider's name, or its id when it is not one of the providers (an action that needs no connection). */
  providerName(id: string): string;
  /** The user's live connections of the provider. */
  connectionsOf(id: string): Connection[];
}

/** Loads the catalogues, the providers and the user's connections of each, at once. */
export async function loadCatalogue(): Promise<Catalogue> {
  const [actions, triggers, providers] = await Promise.all([
    api<{ actions: CatalogAction[] }>("GET", "/api/catalog/actions").then((a) => a.actions),
    api<{ triggers: CatalogTrigger[] }>("GET", "/api/catalog/triggers").then((a) => a.triggers),
    api<{ providers: Provider[] }>("GET", "/api/providers").then((a) => a.providers),
  ]);
  const connections = new Map(
    await Promise.all(
      providers.map(
        async (provider) =>
          [
            provider.id,
            (
              await api<Connection[]>(
                "GET",
                `/api/integrations/${encodeURIComponent(provider.id)}/connections`,
              )
            ).filter((connection) => !connection.revokedAt),
          ] as const,
      ),
    ),
  );
  const actionsByKey = new Map(actions.map((action) => [action.key, action]));
  const names = new Map(providers.map((provider) => [provider.id, provider.name]));
  return {
    actions,
    triggers,
    actionsByKey,
    action: (key) => actionsByKey.get(key),
    trigger: (key) => triggers.find((trigger) => trigger.key === key),
    isProvider: (id) => names.has(id),
    providerName: (id) => names.get(id) ?? id,
    connectionsOf: (id) => connections.get(id) ?? [],
  };
}

/**
 * Whether a connection made with `authMethod` can serve an action that takes `authType`: an OAuth connection an
 * `oauth2` action; a pasted token or key (`bot_token`, `personal_token`, `api_key`, ...) a `bearer_token` or
 * `api_key` action.
 */
export function fitsAuthType(authMethod: string, authType: readonly string[]): boolean {
  if (authMethod === "oauth2") return authType.includes("oauth2");
  return authType.includes("bearer_token") || authType.includes("api_key") || authType.includes(authMethod);
}
