import { useEffect, useRef, useState } from "preact/hooks";
import { Link } from "../components/link";
import type { Problem, WorkflowStep } from "../lib/types";
import { type Catalogue, fitsAuthType } from "./catalogue";
import { errorsUnder, messagesAt } from "./problems";
import type { OfferedReference } from "./references";
import { SchemaForm } from "./schema-form";

/** Messages under a field, with the id its input names in `aria-describedby`. */
export function FieldProblems({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul id={id} class="field-errors">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** One step: its id, credential, the action's input form, and buttons to move or remove it. */
export function StepCard(props: {
  uid: number;
  index: number;
  count: number;
  step: WorkflowStep;
  catalogue: Catalogue;
  offered: readonly OfferedReference[];
  problems: readonly Problem[];
  onChange: (step: WorkflowStep) => void;
  /** Renames the step (and the references to it); answers why not when it refuses. */
  onRename: (id: string) => string | undefined;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { step, index, catalogue } = props;
  const action = catalogue.action(step.action);
  const prefix = `steps.${index}`;
  const base = `step-${props.uid}`;
  // The id is typed as a draft and renamed when the field is left (or on Enter): each keystroke renaming the step
  // would rewrite the references to it through every half-typed id, some of them another step's.
  const [draftId, setDraftId] = useState(step.id);
  const [idRefused, setIdRefused] = useState<string>();
  // The draft follows the id when the id changes (a rename, a move), not when the card first shows: an effect runs
  // after paint, and an id typed before it ran (a fast user, a browser under load) would be reset to the old one.
  const shownId = useRef(step.id);
  useEffect(() => {
    if (shownId.current === step.id) return;
    shownId.current = step.id;
    setDraftId(step.id);
  }, [step.id]);
  // The field's own value, not the last render's draft: a blur right after typing may come before the re-render.
  const commitId = (typed: string) => {
    const to = typed.trim();
    if (to === step.id) {
      setDraftId(step.id);
      return;
    }
    const refused = props.onRename(to);
    setIdRefused(refused);
    if (refused) setDraftId(step.id);
  };
  const idProblems = [...(idRefused ? [idRefused] : []), ...messagesAt(props.problems, `${prefix}.id`)];
  const credentialProblems = messagesAt(props.problems, `${prefix}.credentialId`);
  const stepProblems = [
    ...messagesAt(props.problems, prefix),
    ...messagesAt(props.problems, `${prefix}.action`),
  ];
  const inputProblems = messagesAt(props.problems, `${prefix}.inputs`);
  const title = `Step ${index + 1}: ${action?.name ?? step.action}`;
  const set = (change: Partial<WorkflowStep>) => {
    const next: WorkflowStep = { ...step, ...change };
    if (next.credentialId === undefined) delete next.credentialId;
    props.onChange(next);
  };

  return (
    <li class="card step" data-step={step.id}>
      <section aria-labelledby={`${base}-title`}>
        <div class="card-head">
          <h2 id={`${base}-title`} tabIndex={-1}>
            {title}
          </h2>
          <div class="actions step-actions">
            <button
              type="button"
              class="button button-quiet button-small"
              disabled={index === 0}
              onClick={() => props.onMove(-1)}
            >
              Move up<span class="visually-hidden"> step {step.id}</span>
            </button>
            <button
              type="button"
              class="button button-quiet button-small"
              disabled={index === props.count - 1}
              onClick={() => props.onMove(1)}
            >
              Move down<span class="visually-hidden"> step {step.id}</span>
            </button>
            <button type="button" class="button button-quiet button-small" onClick={props.onRemove}>
              Remove<span class="visually-hidden"> step {step.id}</span>
            </button>
          </div>
        </div>
        <p class="muted step-meta">
          {catalogue.providerName(action?.provider ?? "")} · <code>{step.action}</code>
          {action?.description && <> · {action.description}</>}
        </p>
        <FieldProblems id={`${base}-problems`} messages={stepProblems} />
        <div class="step-settings">
          <div class="field">
            <label for={`${base}-id`}>Step id</label>
            <input
              id={`${base}-id`}
              value={draftId}
              spellcheck={false}
              autoComplete="off"
              aria-invalid={idProblems.length > 0 || undefined}
              aria-describedby={idProblems.length ? `${base}-id-errors` : undefined}
              onInput={(event) => setDraftId((event.currentTarget as HTMLInputElement).value)}
              onBlur={(event) => commitId((event.currentTarget as HTMLInputElement).value)}
              onKeyDown={(event) =>
                event.key === "Enter" && commitId((event.currentTarget as HTMLInputElement).value)
              }
            />
            <FieldProblems id={`${base}-id-errors`} messages={idProblems} />
          </div>
          {action && (
            <CredentialPicker
              id={`${base}-credential`}
              value={step.credentialId}
              provider={action.provider}
              authType={action.authType}
              optional={action.authOptional}
              catalogue={catalogue}
              problems={credentialProblems}
              onChange={(credentialId) => set({ credentialId })}
            />
          )}
        </div>
        <FieldProblems id={`${base}-inputs-errors`} messages={inputProblems} />
        {action ? (
          <SchemaForm
            idPrefix={`${base}-input`}
            schema={action.inputSchema}
            value={step.inputs}
            offered={props.offered}
            errors={errorsUnder(props.problems, `${prefix}.inputs`)}
            onChange={(inputs) => set({ inputs })}
          />
        ) : (
          <p class="callout">The catalogue has no action {step.action}: its inputs are kept as they are.</p>
        )}
      </section>
    </li>
  );
}

/**
 * The step's credential: the user's connections of the action's provider that fit its `authType` (a connection
 * id), or "the newest connection" (the provider id, which the service resolves on every run); "none" only when
 * the action's credential is optional.
 */
function CredentialPicker(props: {
  id: string;
  value: string | undefined;
  provider: string;
  authType: readonly string[];
  optional: boolean;
  catalogue: Catalogue;
  problems: string[];
  onChange: (credentialId: string | undefined) => void;
}) {
  const { catalogue, provider } = props;
  if (!catalogue.isProvider(provider) && props.optional && props.value === undefined) return null;
  const connections = catalogue.connectionsOf(provider);
  const name = catalogue.providerName(provider);
  const known = new Set([provider, ...connections.map((c) => c.id)]);
  return (
    <div class="field">
      <label for={props.id}>Credential</label>
      <select
        id={props.id}
        value={props.value ?? ""}
        aria-invalid={props.problems.length > 0 || undefined}
        aria-describedby={`${props.id}-hint${props.problems.length ? ` ${props.id}-errors` : ""}`}
        onChange={(event) => {
          const value = (event.currentTarget as HTMLSelectElement).value;
          props.onChange(value === "" ? undefined : value);
        }}
      >
        {(props.optional || props.value === undefined) && (
          <option value="">{props.optional ? "None (optional)" : "Choose a connection"}</option>
        )}
        {catalogue.isProvider(provider) && <option value={provider}>The newest {name} connection</option>}
        {connections.map((connection) => (
          <option
            key={connection.id}
            value={connection.id}
            disabled={!fitsAuthType(connection.authMethod, props.authType)}
          >
            {connection.tokenMasked} ({connection.authMethod}
            {fitsAuthType(connection.authMethod, props.authType) ? "" : ", does not fit this action"})
          </option>
        ))}
        {props.value !== undefined && !known.has(props.value) && (
          <option value={props.value}>{props.value}</option>
        )}
      </select>
      <span id={`${props.id}-hint`} class="muted hint">
        Takes {props.authType.join(", ")}
        {props.optional ? "; optional" : ""}.
        {catalogue.isProvider(provider) && connections.length === 0 && (
          <>
            {" "}
            No {name} connection yet: <Link href="/connections">Connect {name}</Link>.
          </>
        )}
      </span>
      <FieldProblems id={`${props.id}-errors`} messages={props.problems} />
    </div>
  );
}
