import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { ApiKeyForm } from "../components/api-key-form";
import { ConnectionItem } from "../components/connection-item";
import { HealthSummary } from "../components/health-summary";
import { ErrorAlert, StatusNotice } from "../components/notices";
import { StatusBadge } from "../components/status-badge";
import { api, messageOf } from "../lib/api";
import { navigate } from "../lib/router";
import type { Connection, Provider } from "../lib/types";
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
