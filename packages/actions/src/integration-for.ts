import { type ConnectionAuth, type IO, type NormalizedAuth, toConnectionAuth } from "@autoflow/core";
import type { ActionContext } from "./define-action";
import type { ActionProviders } from "./provider-options";

/** A provider class as actions and triggers build it: `new Integration({ id, ...clientOptions })`. */
export type IntegrationClass<T, TOptions extends { id: string } = { id: string }> = new (
  options: TOptions,
) => T;

/** An integration a step can bind to its run (every provider class: spec 000's `cloneForRun`). */
export interface RunBindable<T> {
  cloneForRun(io: IO, connectionKey: string, auth?: ConnectionAuth): T;
}

/**
 * `Integration` constructed with the client options configured for `provider` (`providers[provider]`: base
 * URLs, timeouts; the emulators in tests), under the instance id `id` (default: the provider id). Triggers use
 * it to register their hooks through the same API the actions call.
 */
export function configuredIntegration<T, TOptions extends { id: string }>(
  Integration: IntegrationClass<T, TOptions>,
  provider: string,
  providers: ActionProviders = {},
  id: string = provider,
): T {
  return new Integration({ id, ...providers[provider] } as TOptions);
}

/**
 * `Integration` bound to the step: constructed with the step's provider options and cloned for the run with its
 * IO and credential, so the class's tasks run nested under the step's task, with their retries, error
 * translation and display properties. The one way an action calls its provider.
 */
export function integrationFor<T extends RunBindable<T>, TOptions extends { id: string }>(
  ctx: ActionContext<unknown, NormalizedAuth>,
  Integration: IntegrationClass<T, TOptions>,
): T {
  const integration = configuredIntegration(Integration, ctx.provider, ctx.providers, ctx.connectionKey);
  const { currentAuth } = ctx;
  const auth: ConnectionAuth = {
    ...toConnectionAuth(ctx.auth),
    // Asked before every attempt of the class's tasks, and with `forceRefresh` after a 401.
    ...(currentAuth && {
      current: async (options?: { forceRefresh?: boolean }) => toConnectionAuth(await currentAuth(options)),
    }),
  };
  return integration.cloneForRun(ctx.io, ctx.connectionKey, auth);
}
