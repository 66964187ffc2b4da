import { Fragment } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, messageOf } from "../lib/api";
import { labelOf } from "../lib/format";
import type { Connection } from "../lib/types";
import { Time } from "./time";

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

/** One connection: its masked token, metadata, a needs-reconnecting call-out, Test and Disconnect (confirmed). */
export function ConnectionItem(props: {
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

  // Before paint: a key pressed as soon as the confirm button shows reaches it.
  useLayoutEffect(() => {
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
