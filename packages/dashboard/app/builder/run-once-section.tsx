import { FieldProblems } from "./step-card";

/** The builder's "Run once": a test payload (the trigger's, as JSON) and the button that runs the workflow with it. */
export function RunOnceSection(props: {
  payload: string;
  /** Why the payload cannot be sent (not JSON), shown on the field. */
  payloadError: string | undefined;
  onPayload: (payload: string) => void;
  disabled: boolean;
  /** "Run once", or "Save and run once" while there are unsaved changes. */
  label: string;
  onRun: () => void;
}) {
  const { payload, payloadError } = props;
  return (
    <section class="card run-once" aria-labelledby="run-once-title">
      <h2 id="run-once-title">Run once</h2>
      <div class="field">
        <label for="test-payload">Test payload (JSON, the trigger's payload)</label>
        <textarea
          id="test-payload"
          rows={6}
          spellcheck={false}
          value={payload}
          aria-invalid={payloadError ? true : undefined}
          aria-describedby={payloadError ? "test-payload-errors" : undefined}
          onInput={(event) => props.onPayload((event.currentTarget as HTMLTextAreaElement).value)}
        />
        <FieldProblems id="test-payload-errors" messages={payloadError ? [payloadError] : []} />
      </div>
      <div class="actions">
        <button type="button" class="button" disabled={props.disabled} onClick={props.onRun}>
          {props.label}
        </button>
      </div>
    </section>
  );
}
