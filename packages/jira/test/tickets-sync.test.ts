import { MemoryTaskStore } from "@autoflow/core";
import { JiraEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type SyncTicketParams, syncedIssueJql } from "../src/index";
import { jiraFor, runJob } from "./helpers";

// Ticket sync converges: one Jira issue per external record, whatever the repeats, overlaps and crashes, with the
// latest fields and status. Through jira.js against the emulator over loopback; the emulator's search lags.
const emulator = new JiraEmulator();
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterEach(async () => {
  emulator.searchVisibilityLagMs = 0;
  await emulator.clearFaults();
  vi.restoreAllMocks();
});
afterAll(() => emulator.stop());

let unique = 0;
const record = (summary: string, transitionTo?: string): SyncTicketParams => ({
  externalId: `ZD-${unique}`,
  project: "OPS",
  issueType: "Task",
  fields: { summary, description: "From Zendesk.\n\nPriority: high", labels: ["zendesk"] },
  ...(transitionTo !== undefined && { transitionTo }),
});
const issuesFor = (externalId: string) =>
  [...emulator.state.issues.values()].filter(
    (issue) => (issue.properties.autoflow as { externalId?: string } | undefined)?.externalId === externalId,
  );
const SETTLE_MS = 400;
const sync = (store: MemoryTaskStore, params: SyncTicketParams) =>
  runJob(
    jiraFor(emulator, token, { searchSettleMs: SETTLE_MS }),
    (io) => io.jira.tickets.sync("sync", params),
    {
      store,
    },
  );

describe("tickets.sync", () => {
  it("creates the issue once, then updates it with the latest fields and status", async () => {
    unique++;
    const store = new MemoryTaskStore();
    const first = await sync(store, record("Printer on fire"));
    expect(first.output).toMatchObject({ externalId: `ZD-${unique}`, created: true });
    const second = await sync(store, record("Printer still on fire", "Done"));
    expect(second.output).toMatchObject({ issueKey: first.output?.issueKey, created: false, status: "Done" });
    const [issue, ...others] = issuesFor(`ZD-${unique}`);
    expect(others).toHaveLength(0);
    expect(issue?.summary).toBe("Printer still on fire");
    expect(emulator.issue(issue?.key ?? "")?.statusId).toBe("10001");
  });

  it("two concurrent runs of the same record converge on one issue (search cannot see the other's create)", async () => {
    unique++;
    emulator.searchVisibilityLagMs = 5_000;
    const store = new MemoryTaskStore();
    const [a, b] = await Promise.all([
      sync(store, record("Concurrent A")),
      sync(store, record("Concurrent B", "In Progress")),
    ]);
    expect(a.result.status).toBe("completed");
    expect(b.result.status).toBe("completed");
    expect(a.output?.issueKey).toBe(b.output?.issueKey);
    expect([a.output?.created, b.output?.created].sort()).toEqual([false, true]);
    expect(issuesFor(`ZD-${unique}`)).toHaveLength(1);
  });

  it("a crash between the create and the record: the repeat finds the issue by its property, creates nothing more", async () => {
    unique++;
    emulator.searchVisibilityLagMs = 150;
    const store = new MemoryTaskStore();
    vi.spyOn(store.mappings, "recordMapping").mockRejectedValueOnce(
      new Error("worker died before recording"),
    );
    const outcome = await sync(store, record("Crashed once", "Done"));
    expect(outcome.result.status).toBe("completed");
    expect(outcome.output).toMatchObject({ created: false, status: "Done" });
    expect(issuesFor(`ZD-${unique}`)).toHaveLength(1);
    const search = emulator.requests.find(
      (r) => r.path.endsWith("/rest/api/3/search/jql") && String(r.query.jql).includes(`ZD-${unique}`),
    );
    expect(String(search?.query.jql)).toContain(syncedIssueJql("OPS", `ZD-${unique}`));
  });

  it("its create's answer lost: the retry looks the issue up and creates nothing more", async () => {
    unique++;
    const store = new MemoryTaskStore();
    emulator.server.faults.loseAnswerNext(
      1,
      { method: "POST", path: `/ex/jira/${emulator.cloudId}/rest/api/3/issue` },
      "reset",
    );
    const outcome = await sync(store, record("Answer lost"));
    expect(outcome.result.status).toBe("completed");
    expect(issuesFor(`ZD-${unique}`)).toHaveLength(1);
  });

  it("a run whose claim another run's lapsed lease left: looks first, adopts what that run made", async () => {
    unique++;
    const store = new MemoryTaskStore();
    // Learn the mapping scope from a sync of another record.
    const claim = vi.spyOn(store.mappings, "claimMapping");
    await sync(store, { ...record("Scope probe"), externalId: `probe-${unique}` });
    const scope = claim.mock.calls[0]?.[0].scope ?? "";
    // Another run claimed ZD-n, created its issue and died: its lease has run out, nothing recorded.
    await store.mappings.claimMapping(
      { scope, externalId: `ZD-${unique}` },
      "dead-run",
      new Date(Date.now() - 600_000),
      1,
    );
    const made = emulator.createIssue("Made by the dead run");
    emulator.state.updateIssue(made, (issue) => {
      issue.properties.autoflow = { externalId: `ZD-${unique}` };
    });
    const outcome = await sync(store, record("Adopted"));
    expect(outcome.output).toMatchObject({ issueKey: made.key, created: false });
    expect(issuesFor(`ZD-${unique}`)).toHaveLength(1);
    expect(emulator.issue(made.key)?.summary).toBe("Adopted");
  });
});
