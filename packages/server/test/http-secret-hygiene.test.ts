import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";

warnIfNoPostgres("secret hygiene HTTP");
afterAll(removeTempDirs);

interface ErrorJson {
  error: { code: string; message: string };
}
interface ConnectionJson {
  id: string;
  tokenMasked: string;
  needsReauth?: boolean;
}
interface HealthJson {
  status: string;
  details: { auth: boolean; errorType?: string; message?: string };
}

// Shapes core's redaction knows, none of them a real credential.
const JWT =
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLWEiLCJuYW1lIjoiUGFzdGVkIn0.c2lnbmF0dXJlLW5vdC1yZWFsLTEyMzQ1Njc4";
const GITHUB_PAT = "ghp_PastedPersonalToken0123456789abcdef";
const BEARER_VALUE = "Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const API_KEY = "k3y-4b1c-pasted-into-a-header";
const PASSWORD = "correct horse battery staple";
const PASTED = [JWT, GITHUB_PAT, BEARER_VALUE, API_KEY, PASSWORD];

describe.each(STORE_KINDS)("secret hygiene over HTTP on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const slack = new SlackEmulator();
    let t: TestServer;
    let slackToken: string;

    beforeAll(async () => {
      await slack.start();
      t = await startTestServer(kind, { AUTOFLOW_SLACK_API_URL: slack.apiUrl });
      slackToken = slack.mintToken();
    });
    afterAll(async () => {
      await t?.close();
      await slack.stop();
    });

    const say = (text: string, extra: Record<string, unknown> = {}) => ({
      name: "Say",
      steps: [{ id: "say", action: "slack.sendMessage", inputs: { channel: "C01GENERAL", text }, ...extra }],
    });
    const fetchStep = (inputs: Record<string, unknown>, credentialId?: string) => ({
      name: "Fetch",
      steps: [
        {
          id: "fetch",
          action: "http.request",
          inputs: { url: "https://api.example.com/items", ...inputs },
          ...(credentialId !== undefined && { credentialId }),
        },
      ],
    });

    /** Every workflow of `user` as the API lists it, as text. */
    const listed = async (user = "user-a") => (await t.call("GET", "/api/workflows", { user })).text;

    /** Asserts a 400 `code` naming each of `fields`, pointing to credentialId, with none of `secrets`. */
    function expectRefused(
      response: { status: number; json: unknown; text: string },
      code: string,
      fields: string[],
      secrets: string[],
    ) {
      expect(response.status, response.text).toBe(400);
      const { error } = response.json as ErrorJson;
      expect(error.code).toBe(code);
      for (const field of fields) expect(error.message).toContain(`${field} (looks like a credential)`);
      expect(error.message).toContain("credentialId");
      for (const secret of secrets) expect(response.text).not.toContain(secret);
    }

    it("refuses a provider token pasted into a step input with a 400 naming the field; nothing is stored", async () => {
      const before = await listed();
      const response = await t.call("POST", "/api/workflows", {
        body: say(`Deploying with ${slackToken} now`),
      });
      expectRefused(response, "secret_in_workflow", ["steps.0.inputs.text"], [slackToken]);
      expect(await listed()).toBe(before);
    });

    it.each([
      [
        "a Bearer value in an Authorization header",
        { headers: { Authorization: BEARER_VALUE } },
        "headers.Authorization",
      ],
      ["a value under a credential's name", { headers: { "X-Api-Key": API_KEY } }, "headers.X-Api-Key"],
      [
        "a password in a JSON body",
        { method: "POST", body: { user: "ops", password: PASSWORD } },
        "body.password",
      ],
      ["a JWT in the URL's query", { url: `https://api.example.com/items?access_token=${JWT}` }, "url"],
      [
        "a token deep in an array",
        { method: "POST", body: { items: [{ note: `use ${GITHUB_PAT}` }] } },
        "body.items.0.note",
      ],
    ])("refuses %s", async (_name, inputs, field) => {
      const response = await t.call("POST", "/api/workflows", { body: fetchStep(inputs) });
      expectRefused(response, "secret_in_workflow", [`steps.0.inputs.${field}`], PASTED);
    });

    it("refuses a token pasted as the credentialId itself", async () => {
      const response = await t.call("POST", "/api/workflows", {
        body: say("hello", { credentialId: slackToken }),
      });
      expectRefused(response, "secret_in_workflow", ["steps.0.credentialId"], [slackToken]);
    });

    it("names every offending field at once", async () => {
      const response = await t.call("POST", "/api/workflows", {
        body: {
          steps: [
            {
              id: "a",
              action: "slack.sendMessage",
              inputs: { channel: "C01GENERAL", text: `t ${slackToken}` },
            },
            {
              id: "b",
              action: "http.request",
              inputs: { url: "https://api.example.com/", headers: { Authorization: BEARER_VALUE } },
            },
          ],
        },
      });
      expectRefused(
        response,
        "secret_in_workflow",
        ["steps.0.inputs.text", "steps.1.inputs.headers.Authorization"],
        [slackToken, BEARER_VALUE],
      );
    });

    it("refuses a token in the trigger's inputs", async () => {
      const response = await t.call("POST", "/api/workflows", {
        body: {
          ...say("New issue"),
          trigger: { key: "github.issueOpened", inputs: { owner: GITHUB_PAT, repo: "hello" } },
        },
      });
      expectRefused(response, "secret_in_workflow", ["trigger.inputs.owner"], [GITHUB_PAT]);
    });

    it("refuses a token on update and keeps the stored definition", async () => {
      const created = await t.call("POST", "/api/workflows", { body: say("first") });
      expect(created.status).toBe(201);
      const { id } = created.json as { id: string };
      const response = await t.call("PUT", `/api/workflows/${id}`, { body: say(`again ${slackToken}`) });
      expectRefused(response, "secret_in_workflow", ["steps.0.inputs.text"], [slackToken]);
      const stored = await t.call("GET", `/api/workflows/${id}`);
      expect((stored.json as { steps: { inputs: { text: string } }[] }).steps[0]?.inputs.text).toBe("first");
    });

    it("refuses a token in the payload of a run started by hand, and starts nothing", async () => {
      const created = await t.call("POST", "/api/workflows", { body: say("payload {{trigger.note}}") });
      expect(created.status).toBe(201);
      const { id } = created.json as { id: string };
      const runsBefore = (await t.call("GET", `/api/runs?workflowId=${id}`)).json as { runs: unknown[] };
      const response = await t.call("POST", `/api/workflows/${id}/runs`, {
        body: { note: "rotate", auth: { token: slackToken } },
      });
      expectRefused(response, "secret_in_payload", ["payload.auth.token"], [slackToken]);
      const runsAfter = (await t.call("GET", `/api/runs?workflowId=${id}`)).json as { runs: unknown[] };
      expect(runsAfter.runs).toHaveLength(runsBefore.runs.length);
    });

    it("refuses a pasted Authorization value but accepts one built from a reference, and ordinary words", async () => {
      const plan = (authorization: string) => ({
        steps: [
          {
            id: "login",
            action: "http.request",
            inputs: { url: "https://api.example.com/session", method: "POST", body: { user: "ops" } },
          },
          {
            id: "use",
            action: "http.request",
            inputs: {
              url: "https://api.example.com/items",
              headers: { Authorization: authorization },
              body: { password: { $ref: "steps.login.output.body.password" } },
            },
          },
          {
            id: "say",
            action: "slack.sendMessage",
            inputs: {
              channel: "C01GENERAL",
              text: "Reminder: rotate the API key and password; Bearer token required",
            },
            credentialId: "slack",
          },
        ],
      });
      const pasted = await t.call("POST", "/api/workflows", { body: plan(BEARER_VALUE) });
      expectRefused(pasted, "secret_in_workflow", ["steps.1.inputs.headers.Authorization"], [BEARER_VALUE]);
      const referenced = await t.call("POST", "/api/workflows", {
        body: plan("Bearer {{steps.login.output.body.token}}"),
      });
      expect(referenced.status, referenced.text).toBe(201);
    });

    describe("a credential row the vault cannot decrypt", () => {
      /** Runs SQL (PostgreSQL-style `$1` parameters) against the service's database, whichever it is. */
      async function sql(statement: string, params: string[]): Promise<void> {
        if (t.schema) {
          await t.schema.pool.query(statement, params);
          return;
        }
        const db = new DatabaseSync(t.sqlitePath ?? "");
        try {
          db.prepare(statement.replace(/\$(\d+)/g, "?$1")).run(...params);
        } finally {
          db.close();
        }
      }

      async function connect(user: string): Promise<ConnectionJson> {
        const response = await t.call("POST", "/api/integrations/slack/connections", {
          user,
          body: { accessToken: slack.mintToken() },
        });
        expect(response.status, response.text).toBe(201);
        return response.json as ConnectionJson;
      }

      /** Moves `from`'s ciphertext into `to`'s row: it is bound to `from`, so `to` no longer decrypts. */
      const moveCiphertext = (from: string, to: string) =>
        sql(
          `UPDATE autoflow_connections SET credential_ciphertext =
             (SELECT credential_ciphertext FROM autoflow_connections WHERE id = $1) WHERE id = $2`,
          [from, to],
        );

      it("is listed with its stored tokenMasked and needsReauth, and health is degraded, never a 500", async () => {
        const user = "user-rotated";
        const older = await connect(user);
        const newer = await connect(user);
        // A row from before the masked token was stored: the next read that can decrypt it fills it in.
        await sql("UPDATE autoflow_connections SET token_masked = NULL WHERE id = $1", [older.id]);
        expect((await t.call("GET", "/api/integrations/slack/connections", { user })).status).toBe(200);
        await moveCiphertext(newer.id, older.id);

        const list = await t.call("GET", "/api/integrations/slack/connections", { user });
        expect(list.status, list.text).toBe(200);
        expect(list.json).toEqual([{ ...older, needsReauth: true }, newer]);

        const health = await t.call("GET", "/api/integrations/slack/health", { user });
        expect(health.status, health.text).toBe(200);
        expect(health.json).toMatchObject({
          status: "degraded",
          details: { auth: true, apiReachable: true, errorType: "auth" },
        });
        expect((health.json as HealthJson).details.message).toMatch(/1 connection cannot be read.*reconnect/);

        const test = await t.call("POST", `/api/integrations/slack/connections/${older.id}/test`, { user });
        expect(test.status, test.text).toBe(400);
        expect((test.json as ErrorJson).error.code).toBe("needs_reauth");
        // The readable connection still works.
        const working = await t.call("POST", `/api/integrations/slack/connections/${newer.id}/test`, {
          user,
        });
        expect(working.status, working.text).toBe(200);
      });

      it("binds a saved trigger's scope to a readable connection, passing over a newer one that needs reauth", async () => {
        const user = "user-scope-after-rotation";
        const older = await connect(user);
        const newer = await connect(user);
        await moveCiphertext(older.id, newer.id);
        const saved = await t.call("POST", "/api/workflows", {
          user,
          body: {
            trigger: { key: "slack.message", inputs: { team: (older as { teamId?: string }).teamId } },
            steps: [
              {
                id: "echo",
                action: "slack.sendMessage",
                inputs: { channel: "C01GENERAL", text: "{{trigger.event.text}}" },
                credentialId: "slack",
              },
            ],
          },
        });
        expect(saved.status, saved.text).toBe(201);
        expect((saved.json as { triggerScope?: { connectionId: string } }).triggerScope?.connectionId).toBe(
          older.id,
        );
      });

      it("answers health down when no connection can be read, and the row can still be removed", async () => {
        const user = "user-tampered";
        const only = await connect(user);
        await sql("UPDATE autoflow_connections SET credential_ciphertext = $1 WHERE id = $2", [
          "av1.not-a-key.tampered",
          only.id,
        ]);
        const list = await t.call("GET", "/api/integrations/slack/connections", { user });
        expect(list.status, list.text).toBe(200);
        expect(list.json).toEqual([{ ...only, needsReauth: true }]);

        const health = await t.call("GET", "/api/integrations/slack/health", { user });
        expect(health.status, health.text).toBe(200);
        expect(health.json).toMatchObject({ status: "down", details: { auth: false, errorType: "auth" } });

        const removed = await t.call("DELETE", `/api/integrations/slack/connections/${only.id}`, { user });
        expect(removed.status, removed.text).toBe(204);
        expect((await t.call("GET", "/api/integrations/slack/connections", { user })).json).toEqual([]);
      });
    });

    it("no pasted secret appears in any response or log line, and no response was a 500", () => {
      for (const secret of [slackToken, ...PASTED]) {
        expect(t.responses.join("\n")).not.toContain(secret);
        expect(t.logs.join("\n")).not.toContain(secret);
      }
      expect(t.logs.join("\n")).not.toMatch(/ 500 /);
    });
  });
});

describe("the service's SQLite state on disk", () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it("creates the state folder 0700 and the database, WAL and shared-memory files 0600, whatever the umask", async () => {
    const root = mkdtempSync(join(tmpdir(), "autoflow-state-modes-"));
    roots.push(root);
    const state = join(root, "state");
    const path = join(state, "autoflow.db");
    const slack = new SlackEmulator();
    await slack.start();
    // The most permissive umask: only explicit modes can make these files private.
    const previous = process.umask(0);
    const t = await startTestServer("sqlite", {
      AUTOFLOW_SLACK_API_URL: slack.apiUrl,
      AUTOFLOW_SQLITE_PATH: path,
    }).finally(() => process.umask(previous));
    try {
      const connected = await t.call("POST", "/api/integrations/slack/connections", {
        body: { accessToken: slack.mintToken() },
      });
      expect(connected.status).toBe(201);
      const modeOf = (file: string) => statSync(file).mode & 0o777;
      expect(modeOf(state)).toBe(0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(modeOf(file), file).toBe(0o600);
    } finally {
      await t.close();
      await slack.stop();
    }
  });
});
