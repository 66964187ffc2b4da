import type { IOTask, ReconcileContext, ReconcileResult } from "@autoflow/core";
import type { WebClient } from "@slack/web-api";

/**
 * How far before the attempt's start a reconciler looks: the worker's clock and Slack's may disagree by this
 * much without a posted message being missed (a wider window only costs a longer read).
 */
export const CLOCK_SKEW_SECONDS = 120;

/** A message search reads at most this many pages (200 messages each) before it answers "cannot tell". */
const MAX_PAGES = 10;

/** Slack's metadata `event_type` for the marker a task leaves on the message it posts. */
export const MARKER_EVENT_TYPE = "autoflow_task";

type EventMetadata = { event_type: string; event_payload: Record<string, unknown> };

/**
 * The message metadata that carries the task's marker: `{ event_type: "autoflow_task", event_payload: { marker } }`,
 * or, when the job sends metadata of its own, that metadata with `autoflow_marker` added to its payload.
 * Metadata is invisible in the Slack client, and the marker is a hash of the run and task ids: nothing secret.
 */
export function markedMetadata(own: unknown, marker: string): EventMetadata {
  const metadata = own as Partial<EventMetadata> | undefined;
  if (metadata?.event_type === undefined) return { event_type: MARKER_EVENT_TYPE, event_payload: { marker } };
  return {
    ...metadata,
    event_type: metadata.event_type,
    event_payload: { ...metadata.event_payload, autoflow_marker: marker },
  };
}

/** The marker a message carries in its metadata, if it carries one. */
function markerOf(message: { metadata?: unknown }): string | undefined {
  const metadata = message.metadata as Partial<EventMetadata> | undefined;
  const payload = metadata?.event_payload;
  if (!payload) return undefined;
  const marker = metadata.event_type === MARKER_EVENT_TYPE ? payload.marker : payload.autoflow_marker;
  return typeof marker === "string" ? marker : undefined;
}

/** Slack's `oldest`/`latest` form of a moment: `seconds.micro`. */
export function slackTs(seconds: number): string {
  return `${Math.max(0, Math.floor(seconds))}.000000`;
}

/**
 * Looks for the message that carries `marker` in a channel (`conversations.history`) or a thread
 * (`conversations.replies`), among messages posted since the attempt started (less the clock skew), with
 * `include_all_metadata` so Slack answers the metadata. Every page is read; a search that does not reach the
 * end (more than 2,000 messages in the window) cannot tell, and neither can a channel Slack will not read.
 */
export async function findMarkedMessage(
  client: WebClient,
  where: { channel: string; thread_ts?: string | undefined },
  { marker, callStartedAt }: Pick<ReconcileContext, "marker" | "callStartedAt">,
): Promise<ReconcileResult<{ channel: string; ts: string; message: Record<string, unknown> }>> {
  const oldest = slackTs(callStartedAt.getTime() / 1000 - CLOCK_SKEW_SECONDS);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const common = { channel: where.channel, oldest, include_all_metadata: true, limit: 200 };
    const answer = where.thread_ts
      ? await client.conversations.replies({ ...common, ts: where.thread_ts, ...(cursor && { cursor }) })
      : await client.conversations.history({ ...common, ...(cursor && { cursor }) });
    const messages = (answer.messages ?? []) as { ts?: string; metadata?: unknown }[];
    const found = messages.find((message) => markerOf(message) === marker);
    if (found?.ts) {
      return {
        found: true,
        output: { channel: where.channel, ts: found.ts, message: found as Record<string, unknown> },
      };
    }
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return { found: false };
  }
  return { unknown: true };
}

/**
 * Whether `error` is Slack answering one of `codes` (`already_reacted`, `message_not_found`, ...) to a repeat:
 * an attempt after the first, made because the one before may have done the work. On a first attempt the same
 * answer is the job's mistake and fails as usual.
 */
export function alreadyDone(
  task: Pick<IOTask, "attempt">,
  error: unknown,
  codes: readonly string[],
): boolean {
  if (task.attempt <= 1) return false;
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === "string" && codes.includes(data.error);
}
