/**
 * @module
 * An input form rendered from a JSON Schema by react-jsonschema-form (rjsf), running on Preact through
 * `preact/compat` (Vite aliases `react` to it). Each top-level field can take a reference: a string field gets
 * `{{...}}` templates shown as chips, any other field a whole-value `{ "$ref": ... }` shown as one chip in place
 * of its input. The API's problems are shown on their fields as rjsf's `extraErrors`.
 */
// The Form alone: the package's index also exports a test registry that imports the ajv validator.
import RjsfForm from "@rjsf/core/lib/components/Form.js";
import {
  type FieldTemplateProps,
  type IconButtonProps,
  type RJSFSchema,
  TranslatableString,
  type UiSchema,
} from "@rjsf/utils";
import type { ComponentType } from "preact";
import type { JsonSchema } from "../lib/types";
import type { FieldErrors } from "./problems";
import { ReferenceChip, ReferencePicker } from "./reference-picker";
import {
  insertTemplate,
  isWholeReference,
  type OfferedReference,
  removeTemplate,
  takesText,
  templateReferences,
} from "./references";
import { cspSafeValidator } from "./validator";

type Values = Record<string, unknown>;

/** What every field of one form reads: the references offered and how to set a top-level value. */
interface FormContext {
  offered: readonly OfferedReference[];
  values: Values;
  properties: Record<string, JsonSchema>;
  set: (name: string, value: unknown) => void;
}

interface RjsfProps {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  formData: unknown;
  formContext: FormContext;
  validator: typeof cspSafeValidator;
  idPrefix: string;
  tagName: string;
  noValidate: boolean;
  noHtml5Validate: boolean;
  showErrorList: false;
  extraErrors?: FieldErrors;
  experimental_defaultFormStateBehavior: Record<string, string>;
  templates: {
    FieldTemplate: ComponentType<FieldTemplateProps>;
    ButtonTemplates: Record<string, ComponentType<IconButtonProps>>;
  };
  onChange: (event: { formData?: unknown }) => void;
}

// rjsf's types are React's; at run time `react` is preact/compat.
const Form = RjsfForm as unknown as ComponentType<RjsfProps>;

/** Focuses `#id` (or the first `selector` inside it) once the change has been rendered: the element may be new. */
function focusAfterRender(id: string, selector?: string): void {
  setTimeout(() => {
    const element = document.getElementById(id);
    (selector ? element?.querySelector<HTMLElement>(selector) : element)?.focus();
  });
}

/** The field around each input: label, description, the input (or its reference chip), chips, picker, errors. */
function FieldTemplate(props: FieldTemplateProps) {
  const { id, label, children, errors, help, description, hidden, required, displayLabel, fieldPathId } =
    props;
  const context = props.registry.formContext as FormContext;
  if (hidden) return <div class="hidden">{children}</div>;
  const name = fieldPathId.path.length === 1 ? String(fieldPathId.path[0]) : undefined;
  const top = name !== undefined && name in context.properties;
  const value = top ? context.values[name] : undefined;
  const whole = top && isWholeReference(value) ? value.$ref : undefined;
  const text = top && takesText(context.properties[name]) && typeof value === "string" ? value : undefined;
  const chips = text !== undefined ? templateReferences(text) : [];
  const isLabelled = displayLabel && props.schema.type !== "object" && props.schema.type !== "array";
  return (
    <div class={`field${props.rawErrors?.length ? " field-invalid" : ""}`}>
      {isLabelled && (
        <label for={id}>
          {label}
          {required && <span class="required"> (required)</span>}
        </label>
      )}
      {isLabelled && description}
      {whole !== undefined ? (
        <ul class="chips" aria-label={`${label} takes a reference`} id={id}>
          <ReferenceChip
            path={whole}
            onRemove={() => {
              context.set(name as string, undefined);
              focusAfterRender(id);
            }}
          />
        </ul>
      ) : (
        children
      )}
      {chips.length > 0 && (
        <ul class="chips" aria-label={`References in ${label}`}>
          {chips.map((path, index) => (
            <ReferenceChip
              key={`${index}-${path}`}
              path={path}
              onRemove={() => {
                context.set(name as string, removeTemplate(text ?? "", index));
                focusAfterRender(id);
              }}
            />
          ))}
        </ul>
      )}
      {top && whole === undefined && (
        <ReferencePicker
          id={id}
          fieldLabel={label}
          offered={context.offered}
          onPick={(path) => {
            if (!takesText(context.properties[name as string])) {
              context.set(name as string, { $ref: path });
              // The input gives way to the chip: its remove button takes the focus.
              focusAfterRender(id, "button");
              return;
            }
            const input = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
            const current = typeof value === "string" ? value : "";
            const caret =
              input && document.activeElement === input ? (input.selectionStart ?? undefined) : undefined;
            context.set(name as string, insertTemplate(current, path, caret));
            input?.focus();
          }}
        />
      )}
      {errors}
      {help}
    </div>
  );
}

/** A button of rjsf's (add an item, remove it, move it) with its words on it, not an icon font the page lacks. */
function textButton(words: TranslatableString) {
  return function TextButton(props: IconButtonProps) {
    const {
      registry,
      uiSchema: _ui,
      iconType: _type,
      icon: _icon,
      className: _class,
      title: _title,
      ...rest
    } = props;
    return (
      <button {...(rest as Record<string, unknown>)} type="button" class="button button-quiet button-small">
        {registry.translateString(words)}
      </button>
    );
  };
}

const BUTTONS = {
  AddButton: textButton(TranslatableString.AddItemButton),
  RemoveButton: textButton(TranslatableString.RemoveButton),
  MoveUpButton: textButton(TranslatableString.MoveUpButton),
  MoveDownButton: textButton(TranslatableString.MoveDownButton),
  CopyButton: textButton(TranslatableString.CopyButton),
  ClearButton: textButton(TranslatableString.ClearButton),
};

/** The uiSchema: required text fields keep `""` when emptied (so the API names them), long text gets a textarea. */
function uiSchemaFor(schema: JsonSchema): UiSchema {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  // No submit button: the page's Save sends the whole workflow.
  const ui: UiSchema = { "ui:submitButtonOptions": { norender: true } };
  for (const [name, property] of Object.entries(properties)) {
    if (!takesText(property)) continue;
    ui[name] = {
      ...(required.has(name) && { "ui:emptyValue": "" }),
      ...((name === "text" || name === "body" || name === "description") && { "ui:widget": "textarea" }),
    };
  }
  return ui;
}

/** A form for `schema`'s object: `value` in, every change out; top-level fields may take `offered` references. */
export function SchemaForm(props: {
  idPrefix: string;
  schema: JsonSchema;
  value: Values | undefined;
  offered: readonly OfferedReference[];
  errors: FieldErrors | undefined;
  onChange: (value: Values) => void;
}) {
  const values = props.value ?? {};
  const properties = (props.schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  // Whole-value references stay out of rjsf's data (its number input cannot hold one); the chip shows them.
  const refs = Object.fromEntries(Object.entries(values).filter(([, v]) => isWholeReference(v)));
  const plain = Object.fromEntries(Object.entries(values).filter(([, v]) => !isWholeReference(v)));
  const set = (name: string, value: unknown) => {
    const next = { ...values };
    if (value === undefined) delete next[name];
    else next[name] = value;
    props.onChange(next);
  };
  const { $schema: _draft, ...schema } = props.schema;
  return (
    <Form
      schema={schema as RJSFSchema}
      uiSchema={uiSchemaFor(props.schema)}
      formData={plain}
      formContext={{ offered: props.offered, values, properties, set }}
      validator={cspSafeValidator}
      idPrefix={props.idPrefix}
      tagName="div"
      noValidate
      noHtml5Validate
      showErrorList={false}
      extraErrors={props.errors}
      experimental_defaultFormStateBehavior={{ emptyObjectFields: "skipDefaults" }}
      templates={{ FieldTemplate, ButtonTemplates: BUTTONS }}
      onChange={(event) => {
        const data = (event.formData ?? {}) as Values;
        const next: Values = { ...data, ...refs };
        for (const [key, v] of Object.entries(next)) if (v === undefined) delete next[key];
        props.onChange(next);
      }}
    />
  );
}
