import { defineJob, type Job } from "@autoflow/core";
import { JiraEmulator } from "@autoflow/emulators";
import { createJiraClient, Jira } from "@autoflow/jira";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { ServiceUnderTest } from "./service-under-test";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("Jira dynamic webhooks");
afterAll(removeTempDirs);

const USER = "user-a";

// A provider whose webhooks cannot be signed: Jira's dynamic webhooks (OAuth apps) carry no signature, so the
// service registers them to the connection's hook URL with an unguessable token in its query, and the intake hands
// the verifier the request's URL. End to end: registered by the scheduler, delivered by the emulator, run once.
describe.each(STORE_KINDS)("Jira dynamic webhooks through the service on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const emulator = new JiraEmulator();
    const service = new ServiceUnderTest(kind, USER);
    const runs: string[] = [];
    let job: Job;
    let token: string;
    let connectionId: string;

    const dynamicWebhooks = async () =>
      (
        await createJiraClient(token, {
          cloudId: emulator.cloudId,
          apiBaseUrl: emulator.apiUrl,
        }).webhooks.getDynamicWebhooksForApp({})
      ).values ?? [];

    beforeAll(async () => {
      await emulator.start();
      await service.setUp(emulator.env());
      // HOSTED: the registration gets the connection's OAuth token and cloud; the emulator is Atlassian's gateway.
      const jira = new Jira({ id: "jira", apiBaseUrl: emulator.apiUrl });
      job = defineJob({
        id: "on-issue",
        integrations: { jira },
        trigger: jira.onIssueCreated({ project: "OPS" }),
        run: async (event) => {
          runs.push(String(event.issue?.key));
        },
      });
      token = emulator.mintToken();
    });
    afterAll(async () => {
      await service.tearDown();
      await emulator.stop();
    });

    it("registers one token-URL webhook for the project, runs the job once per issue, and refuses a guessed token", async () => {
      const server = await service.start([job]);
      const connected = await service.connect("jira", { accessToken: token });
      expect(connected.status).toBe(201);
      connectionId = connected.id;
      await server.subscriptions.sync();

      const [webhook, ...more] = await dynamicWebhooks();
      expect(more).toEqual([]);
      expect(webhook).toMatchObject({ events: ["jira:issue_created"], jqlFilter: "project = OPS" });
      const hookUrl = new URL(String(webhook?.url));
      expect(`${hookUrl.origin}${hookUrl.pathname}`).toBe(`${server.url}/api/webhooks/jira/${connectionId}`);
      expect(hookUrl.searchParams.get("token")).toMatch(/^.{32,}$/);

      const issue = emulator.createIssue("Printer on fire");
      emulator.createIssue("Elsewhere", { projectKey: "ENG" });
      await emulator.awaitDeliveries();
      await until(() => runs.includes(issue.key), `the run for ${issue.key}`);
      expect(emulator.deliveries.map((d) => d.status)).toEqual([200]);
      // The token is a secret: never in the service's logs (which name the path only).
      expect(service.logs.join("\n")).not.toContain(hookUrl.searchParams.get("token") ?? "-");

      // Without the token, or with a guessed one, the intake refuses the delivery: nothing runs.
      const body = JSON.stringify({
        webhookEvent: "jira:issue_created",
        timestamp: Date.now(),
        issue: { key: "OPS-999" },
      });
      for (const url of [
        `${server.url}/api/webhooks/jira/${connectionId}`,
        `${server.url}/api/webhooks/jira/${connectionId}?token=guessed`,
      ]) {
        const answer = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        expect(answer.status).toBe(401);
      }
      expect(runs).toEqual([issue.key]);
    });

    it("removes the webhook and its token when restarted without the job", async () => {
      const server = await service.restart([]);
      expect(await dynamicWebhooks()).toEqual([]);
      expect(await server.stores.webhookSecrets.listSecrets(connectionId)).toEqual([]);
    });
  });
});
