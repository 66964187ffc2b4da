import { Link } from "../components/link";
import type { Problem, WorkflowDefinition } from "../lib/types";
import type { Catalogue } from "./catalogue";
import { errorsUnder, messagesAt } from "./problems";
import { SchemaForm } from "./schema-form";
import { FieldProblems } from "./step-card";

type Trigger = WorkflowDefinition["trigger"];

/** The trigger: one of the catalogue's (grouped by provider) or none (run by hand), with its scope inputs. */
export function TriggerSection(props: {
  trigger: Trigger;
  catalogue: Catalogue;
  problems: readonly Problem[];
  onChange: (trigger: Trigger) => void;
}) {
  const { trigger, catalogue } = props;
  const chosen = trigger ? catalogue.trigger(trigger.key) : undefined;
  const providers = [...new Set(catalogue.triggers.map((t) => t.provider))];
  const keyProblems = [
    ...messagesAt(props.problems, "trigger"),
    ...messagesAt(props.problems, "trigger.key"),
  ];
  const inputProblems = messagesAt(props.problems, "trigger.inputs");
  const unconnected =
    chosen && catalogue.isProvider(chosen.provider) && catalogue.connectionsOf(chosen.provider).length === 0;
  return (
    <section class="card" aria-labelledby="trigger-title">
      <h2 id="trigger-title">Trigger</h2>
      <div class="field">
        <label for="trigger-key">What starts a run</label>
        <select
          id="trigger-key"
          value={trigger?.key ?? ""}
          aria-invalid={keyProblems.length > 0 || undefined}
          aria-describedby={keyProblems.length ? "trigger-key-errors" : undefined}
          onChange={(event) => {
            const key = (event.currentTarget as HTMLSelectElement).value;
            props.onChange(key ? { key, inputs: {} } : undefined);
          }}
        >
          <option value="">Nothing: run by hand only</option>
          {providers.map((provider) => (
            <optgroup key={provider} label={catalogue.providerName(provider)}>
              {catalogue.triggers
                .filter((t) => t.provider === provider)
                .map((t) => (
                  <option key={t.key} value={t.key}>
                    {t.name} ({t.kind})
                  </option>
                ))}
            </optgroup>
          ))}
          {trigger && !chosen && <option value={trigger.key}>{trigger.key}</option>}
        </select>
        <FieldProblems id="trigger-key-errors" messages={keyProblems} />
      </div>
      {chosen && (
        <>
          <p class="muted">
            <code>{chosen.key}</code>
            {chosen.description && <> · {chosen.description}</>}
          </p>
          {unconnected && (
            <p class="callout">
              Its scope is checked with your {catalogue.providerName(chosen.provider)} connection, and you
              have none: <Link href="/connections">Connect {catalogue.providerName(chosen.provider)}</Link>.
            </p>
          )}
          <FieldProblems id="trigger-inputs-errors" messages={inputProblems} />
          <SchemaForm
            idPrefix="trigger-input"
            schema={chosen.inputSchema}
            value={trigger?.inputs}
            offered={[]}
            errors={errorsUnder(props.problems, "trigger.inputs")}
            onChange={(inputs) => trigger && props.onChange({ ...trigger, inputs })}
          />
        </>
      )}
    </section>
  );
}
