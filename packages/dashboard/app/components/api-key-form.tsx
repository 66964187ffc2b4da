import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, messageOf } from "../lib/api";
import type { Provider } from "../lib/types";
import { ErrorAlert } from "./notices";

/** The API-key form: a password field, and the email and site URL when the provider takes them. */
export function ApiKeyForm(props: {
  id: string;
  provider: Provider;
  base: string;
  onConnected: () => Promise<void>;
}) {
  const { provider } = props;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  // Before paint: what the user types as soon as the form shows goes into it.
  useLayoutEffect(() => first.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body: Record<string, string> = { apiKey: String(form.get("apiKey") ?? "") };
    for (const field of provider.connectionFields) {
      const value = String(form.get(field) ?? "").trim();
      if (value) body[field] = value;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api("POST", `${props.base}/connections`, body);
      await props.onConnected();
    } catch (thrown) {
      setError(messageOf(thrown));
      setBusy(false);
    }
  };

  const field = (name: string) => `${props.id}-${name}`;
  return (
    <form
      id={props.id}
      class="form"
      onSubmit={submit}
      aria-label={`Connect ${provider.name} with an API key`}
    >
      <div class="field">
        <label for={field("apiKey")}>API key</label>
        <input
          ref={first}
          id={field("apiKey")}
          name="apiKey"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
        />
      </div>
      {provider.connectionFields.includes("email") && (
        <div class="field">
          <label for={field("email")}>Email</label>
          <input id={field("email")} name="email" type="email" autoComplete="email" required />
        </div>
      )}
      {provider.connectionFields.includes("siteUrl") && (
        <div class="field">
          <label for={field("siteUrl")}>Site URL</label>
          <input id={field("siteUrl")} name="siteUrl" type="url" placeholder="https://example.com" required />
        </div>
      )}
      <ErrorAlert message={error} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {busy ? "Connecting…" : "Connect"}
        </button>
      </div>
    </form>
  );
}
