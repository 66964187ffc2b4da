import type { AddressInfo } from "node:net";
import type { Clock } from "@autoflow/core";
import { serve } from "@hono/node-server";
import type { PoolConfig } from "pg";
import type { ServerConfig } from "./config";
import { createApp } from "./http/app";
import { createUserVerifier } from "./http/user-auth";
import { createLogger, type Logger } from "./logger";
import { createProviderLifecycles } from "./providers";
import { openStores, type Stores } from "./stores/open-stores";

/** Options for `startServer` beyond the environment's configuration. */
export interface StartServerOptions {
  /** Default: a scrubbing logger to stderr that also knows the configured secrets. */
  logger?: Logger;
  /** The interface to listen on. Default: all interfaces. */
  hostname?: string;
  /** Extra `pg` pool settings (e.g. a test's `search_path`). */
  postgres?: Omit<PoolConfig, "connectionString">;
  /** Where the browser lands after the OAuth callback; the JSON connection is returned when unset. */
  oauthSuccessRedirect?: string;
  clock?: Clock;
}

/** A running connection service. */
export interface RunningServer {
  /** The base URL it answers on, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  stores: Stores;
  /** Stops accepting requests, ends open connections and closes the stores. */
  close(): Promise<void>;
}

/** The configured secrets the default logger masks even where they have no recognisable shape. */
export function configuredSecrets(config: ServerConfig): string[] {
  const secrets = [config.jwt.jwtSecret, ...Object.values(config.providers).map((p) => p.clientSecret)];
  return secrets.filter((secret): secret is string => Boolean(secret));
}

/**
 * Starts the connection service: opens the stores (migrating them), builds every registered provider's
 * lifecycle and the user verifier, and serves the spec-003 HTTP API on `config.port` (0 picks a free port).
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ secrets: configuredSecrets(config) });
  const verifyUser = createUserVerifier(config.jwt);
  const stores = await openStores({
    vault: config.vault,
    sqlitePath: config.sqlitePath,
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
    ...(options.postgres && { postgres: options.postgres }),
  });
  const providers = createProviderLifecycles(stores.connections, config.providers, {
    ...(options.clock && { clock: options.clock }),
  });
  const app = createApp({
    providers,
    verifyUser,
    log: logger,
    ...(options.oauthSuccessRedirect && { oauthSuccessRedirect: options.oauthSuccessRedirect }),
  });

  let server: ReturnType<typeof serve> | undefined;
  let address: AddressInfo;
  try {
    address = await new Promise<AddressInfo>((resolve, reject) => {
      server = serve(
        { fetch: app.fetch, port: config.port, ...(options.hostname && { hostname: options.hostname }) },
        resolve,
      );
      server.once("error", reject);
    });
  } catch (error) {
    await stores.close();
    throw error;
  }
  const listening = server;
  const host = options.hostname && options.hostname !== "0.0.0.0" ? options.hostname : "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  logger.info(
    `AutoFlow connection service on ${url} (${stores.kind}; providers: ${Object.keys(providers).join(", ")})`,
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    stores,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          if (!listening) return resolve();
          listening.close(() => resolve());
          // Keep-alive sockets would hold close() open until they time out.
          if ("closeAllConnections" in listening) listening.closeAllConnections();
        });
        await stores.close();
      })();
      return closing;
    },
  };
}
