import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { menuKeyHandler } from "./menu-keys";
import type { OfferedReference } from "./references";

/**
 * "Insert reference": a disclosure listing the references a field may take (the trigger's payload, the earlier
 * steps' outputs), grouped, each a button. Escape closes it and gives the focus back to its button.
 */
export function ReferencePicker(props: {
  id: string;
  fieldLabel: string;
  offered: readonly OfferedReference[];
  onPick: (path: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLFieldSetElement>(null);
  // Before paint: while the focus stayed on the toggle after the list showed, an Escape pressed then reached the
  // toggle (not the list, which handles it) and the list took the focus after it.
  useLayoutEffect(() => {
    if (open) panel.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, [open]);
  if (props.offered.length === 0) return null;

  const groups = new Map<string, OfferedReference[]>();
  for (const reference of props.offered)
    groups.set(reference.group, [...(groups.get(reference.group) ?? []), reference]);

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const onKeyDown = menuKeyHandler(panel, "button.reference-option", close);

  return (
    <div class="reference-picker">
      <button
        ref={toggle}
        type="button"
        class="button button-quiet button-small"
        aria-expanded={open}
        aria-controls={`${props.id}-references`}
        onClick={() => setOpen(!open)}
      >
        Insert reference<span class="visually-hidden"> into {props.fieldLabel}</span>
      </button>
      {open && (
        <fieldset ref={panel} id={`${props.id}-references`} class="reference-panel" onKeyDown={onKeyDown}>
          <legend class="visually-hidden">References for {props.fieldLabel}</legend>
          {[...groups].map(([group, references]) => (
            <div key={group} class="reference-group">
              <p class="reference-group-name">{group}</p>
              <ul class="reference-list">
                {references.map((reference) => (
                  <li key={reference.path}>
                    <button
                      type="button"
                      class="reference-option"
                      onClick={() => {
                        setOpen(false);
                        props.onPick(reference.path);
                      }}
                    >
                      {reference.path}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </fieldset>
      )}
    </div>
  );
}

/** A reference shown as a chip, with a button that removes it. */
export function ReferenceChip(props: { path: string; onRemove: () => void }) {
  return (
    <li class="chip">
      <span class="chip-label">{props.path}</span>
      <button
        type="button"
        class="chip-remove"
        aria-label={`Remove reference ${props.path}`}
        onClick={props.onRemove}
      >
        ×
      </button>
    </li>
  );
}
