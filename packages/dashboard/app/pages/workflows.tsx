import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { Link } from "../components/link";
import { ErrorAlert, StatusNotice } from "../components/notices";
import { Time } from "../components/time";
import { api, messageOf } from "../lib/api";
import { navigate } from "../lib/router";
import type { Workflow } from "../lib/types";
import { useResource } from "../lib/use-resource";

/** The user's workflows: open one in the builder, run it once, delete it (after a confirm step). */
export default function WorkflowsPage(_props: PageProps) {
  const workflows = useResource(() => api<{ workflows: Workflow[] }>("GET", "/api/workflows"), "workflows");
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const list = workflows.data?.workflows ?? [];

  const runOnce = async (workflow: Workflow) => {
    setError(undefined);
    try {
      const { runId } = await api<{ runId: string }>(
        "POST",
        `/api/workflows/${encodeURIComponent(workflow.id)}/runs`,
      );
      navigate(`/runs/${encodeURIComponent(runId)}`);
    } catch (thrown) {
      setError(messageOf(thrown));
    }
  };

  const remove = async (workflow: Workflow) => {
    setError(undefined);
    try {
      await api("DELETE", `/api/workflows/${encodeURIComponent(workflow.id)}`);
      setNotice(`Deleted ${workflow.name || workflow.id}.`);
      await workflows.reload();
    } catch (thrown) {
      setError(messageOf(thrown));
    }
  };

  return (
    <>
      <div class="toolbar">
        <p class="lede">Steps that run one after the other, started by a trigger or by hand.</p>
        <Link href="/workflows/new" class="button">
          New workflow
        </Link>
      </div>
      <StatusNotice message={notice} />
      <ErrorAlert message={workflows.error ?? error} />
      {workflows.loading && !workflows.data && <p class="muted">Loading workflows…</p>}
      {workflows.data && list.length === 0 && (
        <p>
          No workflows yet. <Link href="/workflows/new">Build one</Link>.
        </p>
      )}
      {list.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Your workflows</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Steps</th>
                <th scope="col">Updated</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.map((workflow) => (
                <WorkflowRow
                  key={workflow.id}
                  workflow={workflow}
                  onRun={() => runOnce(workflow)}
                  onDelete={() => remove(workflow)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function WorkflowRow(props: { workflow: Workflow; onRun: () => void; onDelete: () => Promise<void> }) {
  const { workflow } = props;
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // Before paint: a key pressed as soon as the confirm shows reaches it.
  useLayoutEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const name = workflow.name || workflow.id;
  return (
    <tr data-workflow={workflow.id}>
      <td data-label="Name">
        <Link href={`/workflows/${encodeURIComponent(workflow.id)}`}>{name}</Link>
        {workflow.paused && <p class="callout">Paused: {workflow.paused.reason}</p>}
      </td>
      <td data-label="Trigger">
        {workflow.trigger ? <code>{workflow.trigger.key}</code> : <span class="muted">by hand</span>}
      </td>
      <td data-label="Steps">{workflow.steps.map((step) => step.id).join(" → ")}</td>
      <td data-label="Updated">
        <Time iso={workflow.updatedAt} />
      </td>
      <td data-label="Actions">
        {confirming ? (
          <div class="confirm actions">
            <span>Delete {name}?</span>
            <button
              ref={confirmButton}
              type="button"
              class="button button-danger"
              onClick={() => void props.onDelete()}
            >
              Yes, delete
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <div class="actions">
            <button type="button" class="button" onClick={props.onRun}>
              Run once<span class="visually-hidden">: {name}</span>
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(true)}>
              Delete<span class="visually-hidden"> {name}</span>
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
