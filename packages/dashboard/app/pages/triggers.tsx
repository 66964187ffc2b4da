import { useEffect, useState } from "preact/hooks";
import type { PageProps } from "../app";
import { ErrorAlert, StatusNotice } from "../components/notices";
import { StatusBadge } from "../components/status-badge";
import { Time } from "../components/time";
import { api, messageOf } from "../lib/api";
import { formatAge } from "../lib/format";
import type { DeadDelivery, TriggerView } from "../lib/types";
import { useResource } from "../lib/use-resource";

/** How often the page looks again on its own, so a trigger that stops shows up without a reload. */
const REFRESH_MS = 15_000;

/** The user's triggers with their health, and the deliveries that could not be delivered, each retryable. */
export default function TriggersPage(_props: PageProps) {
  const triggers = useResource(() => api<{ triggers: TriggerView[] }>("GET", "/api/triggers"), "triggers");
  const dead = useResource(
    () => api<{ deliveries: DeadDelivery[] }>("GET", "/api/deliveries?status=dead"),
    "dead",
  );
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void Promise.all([triggers.reload(), dead.reload()]);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [triggers.reload, dead.reload]);

  const refresh = async () => {
    setNotice(undefined);
    await Promise.all([triggers.reload(), dead.reload()]);
    setNotice("Refreshed.");
  };

  const retry = async (delivery: DeadDelivery) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await api("POST", `/api/deliveries/${encodeURIComponent(delivery.id)}/retry`);
      setNotice(`Delivery ${delivery.event} is queued again.`);
      await dead.reload();
    } catch (thrown) {
      setError(messageOf(thrown));
    }
  };

  const list = triggers.data?.triggers ?? [];
  const stopped = list.filter((t) => t.status !== "ok").length;
  return (
    <>
      <div class="toolbar">
        <p class="lede">
          {triggers.data
            ? list.length === 0
              ? "No triggers: a workflow or job with a trigger shows here."
              : stopped === 0
                ? `All ${list.length} triggers are ok.`
                : `${stopped} of ${list.length} triggers need attention.`
            : "Loading triggers…"}
        </p>
        <button type="button" class="button button-quiet" onClick={refresh}>
          Refresh
        </button>
      </div>
      <StatusNotice message={notice} />
      <ErrorAlert message={triggers.error ?? error} />
      {list.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Last event</th>
                <th scope="col">Checking</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {list.map((trigger) => (
                <TriggerRow key={trigger.id} trigger={trigger} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Dead-lettered deliveries</h2>
      <ErrorAlert message={dead.error} />
      {dead.data &&
        (dead.data.deliveries.length === 0 ? (
          <p class="muted">No dead-lettered deliveries.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Delivery</th>
                  <th scope="col">Error</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Dead since</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {dead.data.deliveries.map((delivery) => (
                  <tr key={delivery.id} data-delivery-id={delivery.id}>
                    <td data-label="Delivery">
                      <strong>{delivery.event}</strong>
                      {delivery.action && <span> ({delivery.action})</span>}
                      <div class="muted">
                        {delivery.provider}, received <Time iso={delivery.receivedAt} />
                      </div>
                    </td>
                    <td data-label="Error" class="wrap">
                      {delivery.lastError ?? "—"}
                    </td>
                    <td data-label="Attempts">{delivery.attempts}</td>
                    <td data-label="Dead since">
                      <Time iso={delivery.deadAt} />
                    </td>
                    <td data-label="Actions">
                      <button
                        type="button"
                        class="button"
                        aria-label={`Retry delivery ${delivery.event}`}
                        onClick={() => retry(delivery)}
                      >
                        Retry
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

function TriggerRow({ trigger }: { trigger: TriggerView }) {
  const owner =
    "workflowId" in trigger.owner ? `workflow ${trigger.owner.workflowId}` : `job ${trigger.owner.jobId}`;
  return (
    <tr data-trigger-id={trigger.id} data-status={trigger.status}>
      <td data-label="Trigger">
        <strong>{trigger.key}</strong>
        <div class="muted">
          {trigger.kind}, {owner}
        </div>
      </td>
      <td data-label="Status">
        <StatusBadge status={trigger.status} />
        {trigger.consecutiveFailures > 0 && (
          <div class="muted">
            {trigger.consecutiveFailures} failure{trigger.consecutiveFailures === 1 ? "" : "s"} in a row
          </div>
        )}
      </td>
      <td data-label="Last event">
        <Time iso={trigger.lastEventAt} />
      </td>
      <td data-label="Checking">
        {trigger.kind === "polling" ? (
          <>
            <div>
              Last poll: <Time iso={trigger.lastPollAt} />
            </div>
            {trigger.cursorAgeSeconds !== null && (
              <div>Cursor age: {formatAge(trigger.cursorAgeSeconds)}</div>
            )}
          </>
        ) : trigger.subscriptionExpiresAt || trigger.lastRenewedAt ? (
          <>
            <div>
              Subscription expires: <Time iso={trigger.subscriptionExpiresAt} />
            </div>
            <div>
              Renewed: <Time iso={trigger.lastRenewedAt} />
            </div>
          </>
        ) : (
          <span class="muted">Deliveries pushed by the provider</span>
        )}
      </td>
      <td data-label="Problem" class="wrap">
        {trigger.details.errorType && <span class="error-type">{trigger.details.errorType}</span>}{" "}
        {trigger.details.message ?? (trigger.status === "ok" ? "—" : "")}
      </td>
    </tr>
  );
}
