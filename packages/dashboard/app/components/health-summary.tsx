import { api } from "../lib/api";
import type { Health } from "../lib/types";
import { useResource } from "../lib/use-resource";
import { ErrorAlert } from "./notices";
import { StatusBadge } from "./status-badge";
import { Time } from "./time";

/** A provider's health for the user: ok, degraded or down, why, token refresh, and the user's triggers on it. */
export function HealthSummary({ base }: { base: string }) {
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
