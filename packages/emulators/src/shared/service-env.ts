/** Where a running emulator is, as the connection service reads it from its environment. */
export interface ServiceEndpoints {
  apiUrl: string;
  webUrl: string;
  /** The emulator's OAuth app, when the provider connects through OAuth. */
  oauthClient?: { clientId: string; clientSecret: string };
}

/**
 * The `AUTOFLOW_<P>_*` variables that point the connection service at an emulator: the names are the ones
 * the service's configuration reads (`<prefix>API_URL`, `_WEB_URL`, `_CLIENT_ID`, `_CLIENT_SECRET`).
 */
export function serviceEnv(prefix: string, endpoints: ServiceEndpoints): Record<string, string> {
  const env: Record<string, string> = {
    [`${prefix}API_URL`]: endpoints.apiUrl,
    [`${prefix}WEB_URL`]: endpoints.webUrl,
  };
  if (endpoints.oauthClient) {
    env[`${prefix}CLIENT_ID`] = endpoints.oauthClient.clientId;
    env[`${prefix}CLIENT_SECRET`] = endpoints.oauthClient.clientSecret;
  }
  return env;
}
