import type { ApiKeyField } from "@autoflow/core";
import { providerById } from "@autoflow/providers";
import { Hono } from "hono";
import type { ProviderLifecycles } from "./app";
import { requireUser, type UserEnv } from "./request-user";
import type { UserVerifier } from "./user-auth";

/** A provider as `GET /api/providers` shows it: how a person can connect it here. */
export interface ProviderSummary {
  id: string;
  /** The display name. */
  name: string;
  /** `POST /api/integrations/:id/oauth/start` works: the provider has OAuth and its client is configured. */
  oauth: boolean;
  /** `POST /api/integrations/:id/connections` takes an API key (or a personal or bot token). */
  apiKey: boolean;
  /** What that API-key connection takes besides the key. */
  connectionFields: readonly ApiKeyField[];
}

/** The service's providers, in the provider list's order, as the dashboard offers them. */
export function providerSummaries(providers: ProviderLifecycles): ProviderSummary[] {
  return Object.entries(providers).map(([id, lifecycle]) => ({
    id,
    name: providerById(id)?.name ?? id,
    oauth: lifecycle.oauthConfigured,
    apiKey: lifecycle.adapter.apiKeyAuthMethod !== undefined,
    connectionFields: lifecycle.adapter.apiKeyFields ?? [],
  }));
}

/** `GET /providers` (`{ providers: [...] }`), behind the user's token or session like every route. */
export function createProviderRoutes(options: {
  providers: ProviderLifecycles;
  verifyUser: UserVerifier;
}): Hono<UserEnv> {
  const routes = new Hono<UserEnv>();
  const summaries = providerSummaries(options.providers);
  routes.get("/providers", requireUser(options.verifyUser), (c) => c.json({ providers: summaries }));
  return routes;
}
