import { defineJob, type Job } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { createOctokit, Github } from "@autoflow/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { ServiceUnderTest } from "./service-under-test";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("webhook auto-registration");
afterAll(removeTempDirs);

const REPO = { owner: "octo-org", repo: "hello" } as const;
const USER = "user-a";

describe.each(STORE_KINDS)("automatic GitHub webhook registration on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const emulator = new GithubEmulator();
    const runs: number[] = [];
    const service = new ServiceUnderTest(kind, USER);
    const { logs } = service;
    const start = (jobs: readonly Job[]) => service.start(jobs);
    const restart = (jobs: readonly Job[]) => service.restart(jobs);
    let job: Job;
    let token: string;
    let connectionId: string;
    let hookId: number;

    const hooks = () => emulator.state.repo(REPO.owner, REPO.repo)?.hooks ?? [];
    const createIssue = async (title: string) =>
      (await createOctokit(token, { baseUrl: emulator.url }).rest.issues.create({ ...REPO, title })).data
        .number;
    /** Opens an issue and waits for its run; then, since deliveries dispatch in order, a later issue's run proves no second one. */
    const expectOneRunPerIssue = async () => {
      const issue = await createIssue("auto-registered");
      await until(() => runs.includes(issue), `the run for #${issue}`);
      const later = await createIssue("later");
      await until(() => runs.includes(later), `the run for #${later}`);
      expect(runs.filter((n) => n === issue)).toEqual([issue]);
      const delivered = emulator.deliveries.filter(
        (d) => d.action === "opened" && JSON.parse(d.body).issue.number === issue,
      );
      // Exactly one hook delivered it, to the per-connection URL, and the service verified it with the stored secret.
      expect(delivered.map((d) => [d.hookId, d.url, d.status])).toEqual([
        [hookId, `${service.server?.url}/api/webhooks/github/${connectionId}`, 200],
      ]);
    };

    beforeAll(async () => {
      await emulator.start();
      await service.setUp({
        AUTOFLOW_GITHUB_API_URL: emulator.url,
        AUTOFLOW_GITHUB_WEB_URL: emulator.url,
      });
      // HOSTED: no token of its own; the registration gets the connection's auth, the emulator as its baseUrl.
      const github = new Github({ id: "github", baseUrl: emulator.url });
      job = defineJob({
        id: "on-issue-opened",
        integrations: { github },
        trigger: github.onIssueOpened(REPO),
        run: async (event) => {
          runs.push(event.issue.number);
        },
      });
      token = emulator.mintToken({ scopes: ["repo", "admin:repo_hook"] });
    });
    afterAll(async () => {
      await service.tearDown();
      await emulator.stop();
    });

    it("without a connection, warns and creates no hook", async () => {
      await start([job]);
      expect(hooks()).toEqual([]);
      expect(logs.some((l) => l.includes("warn No github connection for user user-a"))).toBe(true);
      expect(await service.server?.stores.webhookSecrets.listRegistrations()).toEqual([]);
    });

    it("with a connection, creates exactly one hook on the per-connection URL, its secret stored first", async () => {
      // The connection goes through the lifecycle (the HTTP API), as a user would connect.
      const connected = await service.connect("github", { accessToken: token });
      expect(connected.status).toBe(201);
      connectionId = connected.id;
      // Made while the service runs: the connection wakes the scheduler, which creates the hook at once.
      await service.server?.subscriptions.sync();
      expect(hooks()).toHaveLength(1);
      await emulator.awaitDeliveries();

      const running = await restart([job]);
      expect(hooks()).toHaveLength(1);
      const hook = hooks()[0];
      hookId = hook?.id ?? -1;
      expect(hook).toMatchObject({
        active: true,
        events: ["issues"],
        config: { url: `${running.url}/api/webhooks/github/${connectionId}`, content_type: "json" },
      });
      const secrets = await running.stores.webhookSecrets.listSecrets(connectionId);
      const recordKey = `github:octo-org/hello:issues#${connectionId}`;
      expect(secrets.map((s) => [s.provider, s.secretId, s.secret])).toEqual([
        ["github", recordKey, hook?.config.secret],
      ]);
      expect(await running.stores.webhookSecrets.listRegistrations()).toEqual([
        expect.objectContaining({
          key: recordKey,
          provider: "github",
          connectionId,
          externalId: String(hookId),
          secretId: recordKey,
          status: "active",
        }),
      ]);
      // The hook's ping arrived after the secret was stored: verified, not refused.
      await emulator.awaitDeliveries();
      expect(
        emulator.deliveries.filter((d) => d.hookId === hookId && d.event === "ping").map((d) => d.status),
      ).toEqual([200]);
      expect(logs.join("\n")).not.toContain(hook?.config.secret);
      expect(logs.join("\n")).not.toContain(token);
    });

    it("runs the job exactly once for an issue created through the emulator's API", async () => {
      await expectOneRunPerIssue();
    });

    it("registers nothing new when restarted with the same job", async () => {
      const before = await service.server?.stores.webhookSecrets.listRegistrations();
      await restart([job]);
      expect(hooks().map((h) => h.id)).toEqual([hookId]);
      expect(await service.server?.stores.webhookSecrets.listRegistrations()).toEqual(before);
      expect(logs.some((l) => l.includes("Registered the github webhook"))).toBe(false);
      await expectOneRunPerIssue();
    });

    it("removes the hook, its registration and its secret when restarted without the job", async () => {
      await restart([]);
      expect(hooks()).toEqual([]);
      expect(await service.server?.stores.webhookSecrets.listRegistrations()).toEqual([]);
      expect(await service.server?.stores.webhookSecrets.listSecrets(connectionId)).toEqual([]);
      expect(
        logs.some((l) =>
          l.includes(`Removed the github webhook for github:octo-org/hello:issues (hook ${hookId})`),
        ),
      ).toBe(true);
      // And a later start finds nothing left to remove.
      await restart([]);
      expect(logs.some((l) => /Removed|Registered|Can't remove/.test(l))).toBe(false);
    });
  });
});
