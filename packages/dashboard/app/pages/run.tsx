import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { ErrorAlert, StatusNotice } from "../components/notices";
import { StatusBadge } from "../components/status-badge";
import { TaskTimeline } from "../components/task-timeline";
import { Time } from "../components/time";
import { ApiError, api, messageOf } from "../lib/api";
import { durationBetween, formatDuration } from "../lib/format";
import type { RunStatus, RunView, TaskView } from "../lib/types";

const FINISHED = new Set<RunStatus>(["completed", "failed", "cancelled"]);

/** One run: its state and every task as a timeline, kept live over server-sent events while it runs. */
export default function RunPage({ route }: PageProps) {
  const { id = "", kind = "workflow" } = route.params;
  const base = `/api/${kind === "job" ? "job-runs" : "runs"}/${encodeURIComponent(id)}`;
  const [run, setRun] = useState<RunView>();
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string>();
  const [live, setLive] = useState<"connecting" | "live" | "ended" | "stopped">("connecting");
  const [notice, setNotice] = useState<string>();
  const [cancelling, setCancelling] = useState(false);

  const load = async () => {
    try {
      setRun(await api<RunView>("GET", base));
      setError(undefined);
    } catch (thrown) {
      if (thrown instanceof ApiError && thrown.status === 404) setMissing(true);
      else setError(messageOf(thrown));
    }
  };

  // The view first (a 404 is "not found", which an event stream cannot say), then its events while it runs.
  useEffect(() => {
    let closed = false;
    let events: EventSource | undefined;
    setRun(undefined);
    setMissing(false);
    setLive("connecting");
    api<RunView>("GET", base).then(
      (view) => {
        if (closed) return;
        setRun(view);
        if (FINISHED.has(view.status)) {
          setLive("ended");
          return;
        }
        events = new EventSource(`${base}/events`);
        events.addEventListener("open", () => setLive("live"));
        events.addEventListener("run", (event) => {
          setRun(JSON.parse((event as MessageEvent<string>).data) as RunView);
          setLive("live");
        });
        events.addEventListener("end", () => {
          events?.close();
          setLive("ended");
        });
        events.addEventListener("error", () => {
          // The browser reconnects on its own unless the stream was refused.
          if (events?.readyState === EventSource.CLOSED) setLive("stopped");
        });
      },
      (thrown: unknown) => {
        if (closed) return;
        if (thrown instanceof ApiError && thrown.status === 404) setMissing(true);
        else setError(messageOf(thrown));
      },
    );
    return () => {
      closed = true;
      events?.close();
    };
  }, [base]);

  const cancel = async () => {
    setCancelling(true);
    setError(undefined);
    try {
      const answer = await api<{ status: RunStatus }>("POST", `${base}/cancel`);
      setNotice(
        answer.status === "cancelled" ? "Run cancelled." : "Cancelling: the run stops before its next task.",
      );
      await load();
    } catch (thrown) {
      setError(messageOf(thrown));
    } finally {
      setCancelling(false);
    }
  };

  if (missing) {
    return (
      <div role="alert" class="notice notice-error">
        Run not found: there is no run <span class="mono">{id}</span> for you.
      </div>
    );
  }
  if (!run) {
    return (
      <>
        <ErrorAlert message={error} />
        {!error && <p class="muted">Loading run…</p>}
      </>
    );
  }

  const finished = FINISHED.has(run.status);
  const duration = finished ? durationBetween(run.createdAt, run.updatedAt) : undefined;
  const tasks = run.tasks ?? stepsAsTasks(run);
  return (
    <>
      <p class="lede">
        <span class="mono">{run.id}</span>
        {run.workflowId && <> of workflow {run.workflowId}</>}
        {run.jobId && <> of job {run.jobId}</>}
      </p>
      <div class="run-status">
        <StatusBadge status={run.status} />
        <span class="live" data-live={live}>
          {live === "live"
            ? "Live: this page updates as the run goes."
            : live === "stopped"
              ? "Live updates stopped: reload to see the latest."
              : live === "connecting" && !finished
                ? "Connecting for live updates…"
                : ""}
        </span>
        {!finished && (
          <button type="button" class="button button-danger" disabled={cancelling} onClick={cancel}>
            {cancelling ? "Cancelling…" : "Cancel run"}
          </button>
        )}
      </div>
      <StatusNotice message={notice} />
      <ErrorAlert message={error} />
      <dl class="facts facts-wide">
        <dt>Source</dt>
        <dd>{run.source ?? (run.jobId ? "code" : "—")}</dd>
        <dt>Started</dt>
        <dd>
          <Time iso={run.createdAt} />
        </dd>
        <dt>Duration</dt>
        <dd>{duration === undefined ? "running" : formatDuration(duration)}</dd>
        {run.resumeAt && (
          <>
            <dt>Resumes at</dt>
            <dd>
              <Time iso={run.resumeAt} />
            </dd>
          </>
        )}
        {run.resumedAt && (
          <>
            <dt>Resumed</dt>
            <dd>
              <Time iso={run.resumedAt} /> (after a restart: tasks marked “from the log” were not run again)
            </dd>
          </>
        )}
      </dl>
      {run.error && (
        <div class="run-error">
          <h2>Error</h2>
          <p>
            <span class="error-type">{run.error.type}</span> {run.error.message}
            {run.error.reason && <span class="muted"> ({run.error.reason})</span>}
          </p>
        </div>
      )}
      <h2>Tasks</h2>
      {tasks.length === 0 ? <p class="muted">No tasks yet.</p> : <TaskTimeline tasks={tasks} />}
      {run.output !== undefined && (
        <>
          <h2>Output</h2>
          {run.outputTruncated && <p class="muted">Truncated by the server.</p>}
          <pre class="output">{JSON.stringify(run.output, null, 2)}</pre>
        </>
      )}
    </>
  );
}

/** A view from before tasks were listed: its steps, as tasks. */
function stepsAsTasks(run: RunView): TaskView[] {
  return (run.steps ?? [])
    .filter((step) => step.status !== "pending")
    .map((step) => ({
      id: step.id,
      name: step.action,
      status: step.status as TaskView["status"],
      attempts: step.attempts,
      startedAt: step.startedAt ?? run.createdAt,
      ...(step.completedAt && { completedAt: step.completedAt }),
      ...(step.output !== undefined && { output: step.output }),
      ...(step.outputTruncated && { outputTruncated: true as const }),
      ...(step.error && { error: step.error }),
      ...(step.reconciled && { reconciled: true as const }),
    }));
}
