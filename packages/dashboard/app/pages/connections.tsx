import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { ErrorAlert, StatusNotice } from "../components/notices";
import { StatusBadge } from "../components/status-badge";
import { Time } from "../components/time";
import { api, messageOf } from "../lib/api";
import { labelOf } from "../lib/format";
import { navigate } from "../lib/router";
import type { Connection, Health, Provider } from "../lib/types";
import { useResource } from "../lib/use-resource";

/** Every provider the service offers, with the user's connections and their health; connect, test, disconnect. */
export default function ConnectionsPage({ location }: PageProps) {
  const providers = useResource(() => api<{ providers: Provider[] }>("GET", "/api/providers"), "providers");
  // The OAuth callback lands here with the provider and the new connection: say so once, then tidy the URL.
  const [connected, setConnected] = useState<{ provider: string; connectionId: string }>();
  useEffect(() => {
    const provider = location.query.get("provider");
    const connectionId = location.query.get("connectionId");
    if (provider && connectionId) {
      setConnected({ provider, connectionId });
      navigate(location.path, { replace: true });
    }
  }, [location]);

  const connectedName =
    connected &&
    (providers.data?.providers.find((p) => p.id === connected.provider)?.name ?? connected.provider);
  return (
    <>
      <p class="lede">The accounts your jobs and workflows call, and how each is doing.</p>
      <StatusNotice message={connectedName ? `Connected ${connectedName}.` : undefined} />
      <ErrorAlert message={providers.error} />
      {providers.loading && !providers.data && <p class="muted">Loading providers…</p>}
      <div class="cards">
        {providers.data?.providers.map((provider) => (
          <ProviderCard
            key={provider.id}
            provider={provider}
            highlight={connected?.provider === provider.id ? connected.connectionId : undefined}
          />
        ))}
      </div>
    </>
  );
}

function ProviderCard({ provider, highlight }: { provider: Provider; highlight: string | undefined }) {
  const connections = useResource(
    () => api<Connection[]>("GET", `/api/integrations/${encodeURIComponent(provider.id)}/connections`),
    provider.id,
  );
  const live = connections.data?.filter((c) => !c.revokedAt) ?? [];
  const [healthKey, setHealthKey] = useState(0);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [formOpen, setFormOpen] = useState(false);
  const base = `/api/integrations/${encodeURIComponent(provider.id)}`;
  const headingId = `provider-${provider.id}`;

  const changed = async (message: string) => {
    setNotice(message);
    setError(undefined);
    await connections.reload();
    setHealthKey((k) => k + 1);
  };

  const startOAuth = async () => {
    setError(undefined);
    try {
      const { authUrl } = await api<{ authUrl: string }>("POST", `${base}/oauth/start`);
      location.assign(authUrl);
    } catch (thrown) {
      setError(messageOf(thrown));
    }
  };

  return (
    <section class="card" aria-labelledby={headingId} data-provider={provider.id}>
      <div class="card-head">
        <h2 id={headingId}>{provider.name}</h2>
        {connections.data && live.length === 0 && <StatusBadge status="pending" label="not connected" />}
      </div>
      <ErrorAlert message={connections.error} />
      {live.length > 0 && <HealthSummary key={`${healthKey}-${live.length}`} base={base} />}
      {live.length > 0 && (
        <ul class="connections">
          {live.map((connection) => (
            <ConnectionItem
              key={connection.id}
              base={base}
              connection={connection}
              isNew={connection.id === highlight}
              onChanged={changed}
              onError={setError}
            />
          ))}
        </ul>
      )}
      <StatusNotice message={notice} />
      <ErrorAlert message={error} />
      <div class="actions">
        {provider.oauth && (
          <button type="button" class="button" onClick={startOAuth}>
            Connect with OAuth
          </button>
        )}
        {provider.apiKey && (
          <button
            type="button"
            class="button button-quiet"
            aria-expanded={formOpen}
            aria-controls={`${headingId}-key-form`}
            onClick={() => setFormOpen(!formOpen)}
          >
            {provider.oauth ? "Use an API key" : "Connect with an API key"}
          </button>
        )}
      </div>
      {provider.apiKey && formOpen && (
        <ApiKeyForm
          id={`${headingId}-key-form`}
          provider={provider}
          base={base}
          onConnected={async () => {
            setFormOpen(false);
            await changed(`Connected ${provider.name}.`);
          }}
        />
      )}
    </section>
  );
}

function HealthSummary({ base }: { base: string }) {
  const health = useResource(() => api<Health>("GET", `${base}/health`), base);
  if (health.error) return <ErrorAlert message={`Health: ${health.error}`} />;
  if (!health.data) return <p class="muted">Checking health…</p>;
  const { status, details, tokenRefreshStatus, checkedAt, triggers } = health.data;
  return (
    <div class={`health health-${status}`}>
      <p class="health-line">
        <span>Health: </span>
        <StatusBadge status={status} />
        {details.errorType && (
          <span class="error-type" data-error-type={details.errorType}>
            {details.errorType}
          </span>
        )}
      </p>
      {details.message && <p class="health-message">{details.message}</p>}
      <dl class="facts">
        {tokenRefreshStatus && (
          <>
            <dt>Token refresh</dt>
            <dd>{tokenRefreshStatus.replace(/_/g, " ")}</dd>
          </>
        )}
        <dt>Reachable</dt>
        <dd>{details.apiReachable ? "yes" : "no"}</dd>
        {details.rateLimited && (
          <>
            <dt>Rate limited</dt>
            <dd>yes</dd>
          </>
        )}
        {triggers && (
          <>
            <dt>Triggers</dt>
            <dd>
              {triggers.ok} ok, {triggers.degraded} degraded, {triggers.down} down
            </dd>
          </>
        )}
        <dt>Checked</dt>
        <dd>
          <Time iso={checkedAt} />
        </dd>
      </dl>
    </div>
  );
}

/** `oauth2` → `OAuth2`, `api_key` → `API key`. */
const authMethodLabel = (method: string) =>
  labelOf(method)
    .replace(/^Oauth/, "OAuth")
    .replace(/\bApi\b/, "API");

const PUBLIC_FIELDS = new Set([
  "id",
  "userId",
  "authMethod",
  "tokenMasked",
  "createdAt",
  "revokedAt",
  "needsReauth",
]);

function ConnectionItem(props: {
  base: string;
  connection: Connection;
  isNew: boolean;
  onChanged: (message: string) => Promise<void>;
  onError: (message: string | undefined) => void;
}) {
  const { base, connection } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [tested, setTested] = useState<string>();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const path = `${base}/connections/${encodeURIComponent(connection.id)}`;
  const metadata = Object.entries(connection).filter(
    ([key, value]) => !PUBLIC_FIELDS.has(key) && (typeof value === "string" || typeof value === "number"),
  );

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const test = async () => {
    setBusy(true);
    setTested(undefined);
    props.onError(undefined);
    try {
      const answer = await api<Record<string, unknown>>("POST", `${path}/test`);
      const facts = Object.entries(answer ?? {})
        .filter(([, value]) => typeof value === "string" || typeof value === "number")
        .map(([key, value]) => `${labelOf(key)}: ${value}`);
      setTested(`Test passed${facts.length ? ` (${facts.join(", ")})` : ""}.`);
    } catch (thrown) {
      props.onError(`Test failed: ${messageOf(thrown)}`);
    } finally {
      setBusy(false);
    }
  };

  const disconnect = async () => {
    setBusy(true);
    try {
      await api("DELETE", path);
      await props.onChanged(`Disconnected ${connection.tokenMasked}.`);
    } catch (thrown) {
      props.onError(messageOf(thrown));
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <li
      class={`connection${connection.needsReauth ? " connection-reauth" : ""}`}
      data-connection-id={connection.id}
    >
      <div class="connection-head">
        <span class="token">{connection.tokenMasked}</span>
        <span class="muted">{authMethodLabel(connection.authMethod)}</span>
        {props.isNew && <span class="marker">new</span>}
      </div>
      {connection.needsReauth && (
        <p class="callout">
          <strong>Needs reconnecting:</strong> its stored credential cannot be read. Connect the account
          again, then disconnect this one.
        </p>
      )}
      <dl class="facts">
        {metadata.map(([key, value]) => (
          <Fragment key={key}>
            <dt>{labelOf(key)}</dt>
            <dd>{String(value)}</dd>
          </Fragment>
        ))}
        <dt>Connected</dt>
        <dd>
          <Time iso={connection.createdAt} />
        </dd>
      </dl>
      {tested && <p class="notice notice-ok">{tested}</p>}
      {confirming ? (
        <div class="confirm">
          <p>Disconnect {connection.tokenMasked}? Jobs and triggers using it stop working.</p>
          <div class="actions">
            <button
              type="button"
              class="button button-danger"
              ref={confirmButton}
              disabled={busy}
              onClick={disconnect}
            >
              Yes, disconnect
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="button button-quiet" disabled={busy} onClick={test}>
            Test
          </button>
          <button
            type="button"
            class="button button-quiet"
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            Disconnect
          </button>
        </div>
      )}
    </li>
  );
}

function ApiKeyForm(props: {
  id: string;
  provider: Provider;
  base: string;
  onConnected: () => Promise<void>;
}) {
  const { provider } = props;
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

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
