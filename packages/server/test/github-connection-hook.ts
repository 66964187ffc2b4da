import { registerGithubWebhook } from "@autoflow/github";
import type { TestServer } from "./http-server";

/**
 * What a trigger's registration leaves behind for a GitHub connection: a repository hook posting to the
 * connection's webhook URL, its secret saved in the vault. Returns the hook's id.
 */
export async function registerConnectionHook(
  t: TestServer,
  options: { token: string; githubUrl: string; connectionId: string; owner: string; repo: string },
): Promise<number> {
  const hook = await registerGithubWebhook({
    token: options.token,
    baseUrl: options.githubUrl,
    owner: options.owner,
    repo: options.repo,
    url: `${t.url}/api/webhooks/github/${options.connectionId}`,
    events: ["issues"],
  });
  await t.server.stores.webhookSecrets.saveSecret({
    connectionId: options.connectionId,
    secretId: String(hook.hookId),
    provider: "github",
    secret: hook.secret,
    createdAt: new Date().toISOString(),
  });
  return hook.hookId;
}
