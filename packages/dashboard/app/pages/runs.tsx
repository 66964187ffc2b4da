import type { PageProps } from "../app";
import { Link } from "../components/link";
import { ErrorAlert } from "../components/notices";
import { StatusBadge } from "../components/status-badge";
import { Time } from "../components/time";
import { ApiError, api } from "../lib/api";
import { durationBetween, formatDuration } from "../lib/format";
import { navigate } from "../lib/router";
import type { JobRunSummary, RunStatus, WorkflowRunSummary } from "../lib/types";
import { useResource } from "../lib/use-resource";

const STATUSES: readonly RunStatus[] = [
  "queued",
  "deferred",
  "running",
  "suspended",
  "completed",
  "failed",
  "cancelled",
];
const FINISHED = new Set<RunStatus>(["completed", "failed", "cancelled"]);
const PAGE_SIZE = 50;

/** A row of the list: a workflow run or a code job's run. */
interface RunRow {
  id: string;
  href: string;
  kind: "Workflow" | "Code job";
  name: string;
  status: RunStatus;
  source: string;
  startedAt: string;
  durationMs: number | undefined;
  note?: string;
}

const fromWorkflow = (run: WorkflowRunSummary): RunRow => ({
  id: run.id,
  href: `/runs/${encodeURIComponent(run.id)}`,
  kind: "Workflow",
  name: run.workflowId,
  status: run.status,
  source: run.source,
  startedAt: run.createdAt,
  durationMs: FINISHED.has(run.status) ? durationBetween(run.createdAt, run.updatedAt) : undefined,
});

const fromJob = (run: JobRunSummary): RunRow => ({
  id: run.id,
  href: `/job-runs/${encodeURIComponent(run.id)}`,
  kind: "Code job",
  name: run.jobId,
  status: run.status,
  source: "code",
  startedAt: run.startedAt,
  durationMs: durationBetween(run.startedAt, run.finishedAt),
  ...(run.failedTask && { note: `failed at ${run.failedTask.name}` }),
});

/** Workflow runs and code jobs' runs, newest first, filtered by status and kind (kept in the URL's query). */
export default function RunsPage({ location }: PageProps) {
  const status = location.query.get("status") ?? "";
  const kind = location.query.get("kind") ?? "";
  const before = location.query.get("before") ?? "";

  const runs = useResource(async () => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (status) query.set("status", status);
    const workflowQuery = new URLSearchParams(query);
    if (before) workflowQuery.set("before", before);
    // Code jobs' runs are never queued or deferred (a job runs when its trigger fires), and page only within one job.
    const jobsToo = kind !== "workflow" && !before && status !== "queued" && status !== "deferred";
    const [workflows, jobs] = await Promise.all([
      kind === "job"
        ? []
        : api<{ runs: WorkflowRunSummary[] }>("GET", `/api/runs?${workflowQuery}`).then((a) => a.runs),
      jobsToo
        ? api<{ runs: JobRunSummary[] }>("GET", `/api/job-runs?${query}`).then(
            (a) => a.runs,
            // A service without code jobs lists none.
            (thrown: unknown) => {
              if (thrown instanceof ApiError && thrown.status === 404) return [];
              throw thrown;
            },
          )
        : [],
    ]);
    const rows = [...workflows.map(fromWorkflow), ...jobs.map(fromJob)];
    return rows.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)).slice(0, PAGE_SIZE);
  }, `${status}|${kind}|${before}`);

  const setFilter = (name: string, value: string) => {
    const query = new URLSearchParams(location.query);
    if (value) query.set(name, value);
    else query.delete(name);
    // A new filter starts from the newest runs again.
    if (name !== "before") query.delete("before");
    const search = query.toString();
    navigate(`/runs${search ? `?${search}` : ""}`, { replace: true });
  };

  const rows = runs.data ?? [];
  // Older pages are by time, which workflow runs are listed by (code jobs' runs page within one job only).
  const oldest = rows.at(-1)?.startedAt;
  return (
    <>
      <form class="filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <div class="field field-inline">
          <label for="runs-status">Status</label>
          <select
            id="runs-status"
            value={status}
            onChange={(e) => setFilter("status", e.currentTarget.value)}
          >
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-inline">
          <label for="runs-kind">Kind</label>
          <select id="runs-kind" value={kind} onChange={(e) => setFilter("kind", e.currentTarget.value)}>
            <option value="">Workflows and code jobs</option>
            <option value="workflow">Workflows</option>
            <option value="job">Code jobs</option>
          </select>
        </div>
        <button type="button" class="button button-quiet" onClick={() => runs.reload()}>
          Refresh
        </button>
      </form>
      <ErrorAlert message={runs.error} />
      {runs.loading && !runs.data && <p class="muted">Loading runs…</p>}
      {runs.data && rows.length === 0 && (
        <p class="muted">No runs{status || kind ? " match these filters" : " yet"}.</p>
      )}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.href} data-run-id={row.id}>
                  <td data-label="Run">
                    <Link href={row.href}>{row.name}</Link>
                    <div class="muted">
                      {row.kind}, <span class="mono">{row.id}</span>
                    </div>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={row.status} />
                    {row.note && <div class="muted">{row.note}</div>}
                  </td>
                  <td data-label="Source">{row.source}</td>
                  <td data-label="Started">
                    <Time iso={row.startedAt} />
                  </td>
                  <td data-label="Duration">
                    {row.durationMs === undefined ? "—" : formatDuration(row.durationMs)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions">
        {before && (
          <button type="button" class="button button-quiet" onClick={() => setFilter("before", "")}>
            Newest runs
          </button>
        )}
        {kind === "workflow" && rows.length === PAGE_SIZE && oldest && (
          <button type="button" class="button button-quiet" onClick={() => setFilter("before", oldest)}>
            Older runs
          </button>
        )}
      </div>
    </>
  );
}
