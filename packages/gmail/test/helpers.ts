import { defineJob, type JobIO, JobRunner, type JobRunnerOptions, MemoryTaskStore } from "@autoflow/core";
import type { GmailEmulator } from "@autoflow/emulators";
import { Gmail } from "../src/index";

/**
 * A Gmail integration pointed at the emulator, as a job declares it. `searchIndexLagMs` is how long a reconciler
 * waits for the search index before it trusts a miss (Gmail's 30 s by default; the emulator's index lags only
 * when told to, so lost-answer tests shorten it).
 */
export function gmailFor(
  emulator: GmailEmulator,
  token: string,
  timeoutMs = 15_000,
  searchIndexLagMs?: number,
): Gmail {
  return new Gmail({
    id: "gmail",
    token,
    apiBaseUrl: emulator.apiUrl,
    timeoutMs,
    ...(searchIndexLagMs !== undefined && { searchIndexLagMs }),
  });
}

/**
 * Runs `body` as a one-off job with `io.gmail` bound to the emulator, through the real JobRunner (logger off:
 * runs fail on purpose here; the result carries the failure).
 */
export async function runJob<T>(
  gmail: Gmail,
  body: (io: JobIO<{ gmail: Gmail }>) => Promise<T>,
  options: JobRunnerOptions = {},
) {
  const store = new MemoryTaskStore();
  const job = defineJob({
    id: "gmail-test",
    integrations: { gmail },
    run: async (_payload, io) => body(io),
  });
  const result = await new JobRunner({ store, logger: false, ...options }).run(job);
  const tasks = (await store.loadRun(result.runId))?.tasks ?? [];
  const output = result.status === "completed" ? result.output : undefined;
  return { result, tasks, output };
}

/** An RFC 2822 message as base64url, as `users.messages.send` takes it. */
export function rawMessage(
  fields: { to?: string; subject?: string; body?: string; messageId?: string } = {},
): string {
  const lines = [
    `To: ${fields.to ?? "grace@example.com"}`,
    `Subject: ${fields.subject ?? "Hello"}`,
    ...(fields.messageId ? [`Message-ID: ${fields.messageId}`] : []),
    "Content-Type: text/plain; charset=utf-8",
    "",
    fields.body ?? "Hello from AutoFlow",
  ];
  return Buffer.from(lines.join("\r\n")).toString("base64url");
}
