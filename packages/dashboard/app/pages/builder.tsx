import { useLayoutEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { AddStepMenu } from "../builder/add-step-menu";
import { type Catalogue, loadCatalogue } from "../builder/catalogue";
import { definitionOf, stepIdFor, withEmptyRequired } from "../builder/definition";
import { messagesAt, unplaced } from "../builder/problems";
import { offeredReferences } from "../builder/references";
import { renameStep, stepIdProblem } from "../builder/rename-step";
import { RunOnceSection } from "../builder/run-once-section";
import { FieldProblems, StepCard } from "../builder/step-card";
import { TriggerSection } from "../builder/trigger-section";
import { LeaveDialog, useUnsavedChangesGuard } from "../builder/unsaved-changes";
import { Link } from "../components/link";
import { ErrorAlert, StatusNotice } from "../components/notices";
import { ApiError, api, messageOf } from "../lib/api";
import { navigate } from "../lib/router";
import type { CatalogAction, Problem, Workflow, WorkflowDefinition, WorkflowStep } from "../lib/types";
import { useResource } from "../lib/use-resource";

/** The builder: a new workflow (`/workflows/new`) or a stored one (`/workflows/:id`). */
export default function BuilderPage({ route }: PageProps) {
  const id = route.params.id;
  const loaded = useResource(
    async () => ({
      id,
      catalogue: await loadCatalogue(),
      workflow: id ? await api<Workflow>("GET", `/api/workflows/${encodeURIComponent(id)}`) : undefined,
    }),
    id ?? "new",
  );
  if (loaded.error) {
    return (
      <>
        <ErrorAlert message={loaded.error} />
        <p>
          <Link href="/workflows">Back to the workflows</Link>
        </p>
      </>
    );
  }
  // Until the answer for this address arrives (after a save, a new workflow's address names it), keep waiting.
  if (!loaded.data || loaded.data.id !== id) return <p class="muted">Loading the catalogue…</p>;
  return <Builder key={id ?? "new"} catalogue={loaded.data.catalogue} workflow={loaded.data.workflow} />;
}

/** A step as the page holds it: a key of its own (the step id can be edited) and the API's shape. */
interface Held {
  uid: number;
  step: WorkflowStep;
}

let nextUid = 1;

function Builder({ catalogue, workflow }: { catalogue: Catalogue; workflow: Workflow | undefined }) {
  const [name, setName] = useState(workflow?.name ?? "");
  const [trigger, setTrigger] = useState<WorkflowDefinition["trigger"]>(workflow?.trigger);
  const [held, setHeld] = useState<Held[]>(() =>
    (workflow?.steps ?? []).map((step) => ({ uid: nextUid++, step })),
  );
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  // What is stored (for a new workflow, the empty one): the page has unsaved changes when its definition differs,
  // so an edit undone by hand is not one.
  const [savedJson, setSavedJson] = useState(() =>
    JSON.stringify(definitionOf(workflow?.name ?? "", workflow?.trigger, workflow?.steps ?? [])),
  );
  const [payload, setPayload] = useState("{}");
  const [payloadError, setPayloadError] = useState<string>();
  const [focusStep, setFocusStep] = useState<number>();

  // Before paint: the new step's heading has the focus as soon as it shows.
  useLayoutEffect(() => {
    if (focusStep === undefined) return;
    document.getElementById(`step-${focusStep}-title`)?.focus();
    setFocusStep(undefined);
  }, [focusStep]);

  const steps = held.map((h) => h.step);
  const chosenTrigger = trigger ? catalogue.trigger(trigger.key) : undefined;
  const definition = definitionOf(name, trigger, steps);
  const dirty = JSON.stringify(definition) !== savedJson;
  const leaveQuestion = useUnsavedChangesGuard(dirty);

  const change = (apply: (current: Held[]) => Held[]) => {
    setHeld(apply);
    setNotice(undefined);
  };
  const addStep = (action: CatalogAction) => {
    const uid = nextUid++;
    const credential =
      catalogue.isProvider(action.provider) && !action.authOptional ? action.provider : undefined;
    change((current) => [
      ...current,
      {
        uid,
        step: {
          id: stepIdFor(
            action,
            current.map((c) => c.step),
          ),
          action: action.key,
          inputs: {},
          ...(credential && { credentialId: credential }),
        },
      },
    ]);
    setFocusStep(uid);
  };
  /** Renames step `index` and the references to it; answers why not when `to` cannot be its id. */
  const rename = (index: number, to: string): string | undefined => {
    const refused = stepIdProblem(to, steps, index);
    if (refused) return refused;
    const from = steps[index]?.id;
    if (from === to) return undefined;
    const renamed = renameStep(steps, index, to);
    setHeld(held.map((h, at) => ({ ...h, step: renamed.steps[at] ?? h.step })));
    const updated = renamed.rewritten === 1 ? "1 reference" : `${renamed.rewritten} references`;
    setNotice(`Renamed step ${from} to ${to}: ${updated} to it updated.`);
    return undefined;
  };
  const move = (index: number, by: -1 | 1) => {
    change((current) => {
      const next = [...current];
      const [moved] = next.splice(index, 1);
      if (moved) next.splice(index + by, 0, moved);
      return next;
    });
  };

  /** Saves (POST for a new workflow, PUT for a stored one); answers the stored workflow, or nothing when refused. */
  const save = async (): Promise<Workflow | undefined> => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const body = withEmptyRequired(definition, catalogue);
      const stored = workflow
        ? await api<Workflow>("PUT", `/api/workflows/${encodeURIComponent(workflow.id)}`, body)
        : await api<Workflow>("POST", "/api/workflows", body);
      setProblems([]);
      setSavedJson(JSON.stringify(definition));
      return stored;
    } catch (thrown) {
      const details = thrown instanceof ApiError ? thrown.problems : undefined;
      setProblems(details ?? []);
      setError(
        details?.length
          ? "The workflow was not saved: fix the problems shown on the fields."
          : messageOf(thrown),
      );
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const onSave = async () => {
    const stored = await save();
    if (!stored) return;
    // `force`: what the guard protects is saved now, though the page has not re-rendered to say so yet.
    if (!workflow) navigate(`/workflows/${encodeURIComponent(stored.id)}`, { replace: true, force: true });
    else setNotice(`Saved ${stored.name || stored.id}.`);
  };

  const onRun = async () => {
    let body: unknown;
    try {
      body = payload.trim() === "" ? undefined : JSON.parse(payload);
    } catch (thrown) {
      setPayloadError(`The test payload is not JSON: ${messageOf(thrown)}`);
      return;
    }
    setPayloadError(undefined);
    const stored = dirty || !workflow ? await save() : workflow;
    if (!stored) return;
    setBusy(true);
    try {
      const { runId } = await api<{ runId: string }>(
        "POST",
        `/api/workflows/${encodeURIComponent(stored.id)}/runs`,
        body,
      );
      navigate(`/runs/${encodeURIComponent(runId)}`, { force: true });
    } catch (thrown) {
      setError(messageOf(thrown));
      setBusy(false);
    }
  };

  const onDelete = async () => {
    if (!workflow) return;
    try {
      await api("DELETE", `/api/workflows/${encodeURIComponent(workflow.id)}`);
      // Deleted: nothing is left to save.
      navigate("/workflows", { force: true });
    } catch (thrown) {
      setError(messageOf(thrown));
    }
  };

  const placed = ["name", "trigger", ...held.map((_, index) => `steps.${index}`)];
  const elsewhere = unplaced(problems, placed);
  const nameProblems = messagesAt(problems, "name");
  return (
    <div class="builder">
      <p class="lede">
        {workflow ? (
          <>
            <code>{workflow.id}</code>: edit it, save, or run it once with a test payload.
          </>
        ) : (
          "A trigger, then steps that run one after the other; each step's inputs may use the trigger's payload and the earlier steps' outputs."
        )}
      </p>
      {workflow?.paused && (
        <p class="callout">Paused: {workflow.paused.reason}. Saving it again checks its trigger.</p>
      )}
      <div class="card">
        <div class="field">
          <label for="workflow-name">Name</label>
          <input
            id="workflow-name"
            value={name}
            autoComplete="off"
            aria-invalid={nameProblems.length > 0 || undefined}
            aria-describedby={nameProblems.length ? "workflow-name-errors" : undefined}
            onInput={(event) => {
              setName((event.currentTarget as HTMLInputElement).value);
              setNotice(undefined);
            }}
          />
          <FieldProblems id="workflow-name-errors" messages={nameProblems} />
        </div>
      </div>
      <TriggerSection trigger={trigger} catalogue={catalogue} problems={problems} onChange={setTrigger} />
      <h2 class="steps-title">Steps</h2>
      <FieldProblems id="steps-errors" messages={messagesAt(problems, "steps")} />
      {held.length === 0 && <p class="muted">No steps yet: add the first one.</p>}
      <ol class="steps">
        {held.map((h, index) => (
          <StepCard
            key={h.uid}
            uid={h.uid}
            index={index}
            count={held.length}
            step={h.step}
            catalogue={catalogue}
            offered={offeredReferences(steps, index, catalogue.actionsByKey, chosenTrigger)}
            problems={problems}
            onChange={(step) =>
              change((current) => current.map((c) => (c.uid === h.uid ? { ...c, step } : c)))
            }
            onRename={(to) => rename(index, to)}
            onMove={(by) => move(index, by)}
            onRemove={() => change((current) => current.filter((c) => c.uid !== h.uid))}
          />
        ))}
      </ol>
      <AddStepMenu catalogue={catalogue} onAdd={addStep} />
      <ErrorAlert message={error} />
      {elsewhere.length > 0 && (
        <ul class="field-errors">
          {elsewhere.map((problem) => (
            <li key={`${problem.path}-${problem.message}`}>
              <code>{problem.path}</code>: {problem.message}
            </li>
          ))}
        </ul>
      )}
      <StatusNotice message={notice} />
      <div class="actions save-bar">
        <button type="button" class="button" disabled={busy} onClick={onSave}>
          {workflow ? "Save" : "Create workflow"}
        </button>
        {workflow && (
          <button type="button" class="button button-quiet" disabled={busy} onClick={onDelete}>
            Delete workflow
          </button>
        )}
        {dirty ? (
          <span class="save-state-unsaved">Unsaved changes</span>
        ) : (
          <span class="muted">{workflow ? "Saved" : ""}</span>
        )}
      </div>
      <RunOnceSection
        payload={payload}
        payloadError={payloadError}
        onPayload={setPayload}
        disabled={busy || held.length === 0}
        label={dirty || !workflow ? "Save and run once" : "Run once"}
        onRun={onRun}
      />
      <LeaveDialog question={leaveQuestion} />
    </div>
  );
}
