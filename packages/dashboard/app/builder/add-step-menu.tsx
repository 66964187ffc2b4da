import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { Link } from "../components/link";
import type { CatalogAction } from "../lib/types";
import type { Catalogue } from "./catalogue";
import { menuKeyHandler } from "./menu-keys";

/**
 * "Add a step": the action catalogue grouped by provider, searchable (name, description, key), each action with
 * its display metadata; a provider the user has no connection for says so, with a link to connect it. Arrow keys
 * move between the actions, Escape closes the menu.
 */
export function AddStepMenu(props: { catalogue: Catalogue; onAdd: (action: CatalogAction) => void }) {
  const { catalogue } = props;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const toggle = useRef<HTMLButtonElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLFieldSetElement>(null);
  // Before paint: what the user types as soon as the menu shows goes into its search.
  useLayoutEffect(() => {
    if (open) search.current?.focus();
  }, [open]);

  const needle = query.trim().toLowerCase();
  const matches = catalogue.actions.filter((action) =>
    [action.name, action.description ?? "", action.key, catalogue.providerName(action.provider)].some(
      (text) => text.toLowerCase().includes(needle),
    ),
  );
  const groups = new Map<string, CatalogAction[]>();
  for (const action of matches) groups.set(action.provider, [...(groups.get(action.provider) ?? []), action]);

  const close = () => {
    setOpen(false);
    setQuery("");
    toggle.current?.focus();
  };
  const onKeyDown = menuKeyHandler(panel, "input, button.action-option", close);

  return (
    <div class="add-step">
      <button
        ref={toggle}
        type="button"
        class="button"
        aria-expanded={open}
        aria-controls="add-step-menu"
        onClick={() => (open ? close() : setOpen(true))}
      >
        Add a step
      </button>
      {open && (
        <fieldset ref={panel} id="add-step-menu" class="add-step-menu" onKeyDown={onKeyDown}>
          <legend class="visually-hidden">Add a step</legend>
          <div class="field">
            <label for="add-step-search">Search actions</label>
            <input
              ref={search}
              id="add-step-search"
              type="search"
              value={query}
              autoComplete="off"
              aria-describedby="add-step-count"
              onInput={(event) => setQuery((event.currentTarget as HTMLInputElement).value)}
            />
            <span id="add-step-count" class="muted" aria-live="polite">
              {matches.length === 1 ? "1 action" : `${matches.length} actions`}
            </span>
          </div>
          {[...groups].map(([provider, actions]) => {
            const connectable = catalogue.isProvider(provider);
            const unconnected = connectable && catalogue.connectionsOf(provider).length === 0;
            const headingId = `add-step-provider-${provider}`;
            return (
              <section key={provider} class="action-group" aria-labelledby={headingId}>
                <div class="action-group-head">
                  <h3 id={headingId}>{catalogue.providerName(provider)}</h3>
                  {unconnected && (
                    <span class="connect-cta">
                      No connection yet:{" "}
                      <Link href="/connections">Connect {catalogue.providerName(provider)}</Link>
                    </span>
                  )}
                </div>
                <ul class="action-list">
                  {actions.map((action) => (
                    <li key={action.key}>
                      <button
                        type="button"
                        class="action-option"
                        onClick={() => {
                          setOpen(false);
                          setQuery("");
                          props.onAdd(action);
                        }}
                      >
                        <span class="action-name">{action.name}</span>
                        {action.description && <span class="action-description">{action.description}</span>}
                        <code class="action-key">{action.key}</code>
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
          {matches.length === 0 && <p class="muted">No action matches “{query}”.</p>}
        </fieldset>
      )}
    </div>
  );
}
