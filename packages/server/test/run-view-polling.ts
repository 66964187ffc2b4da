import type { TestServer } from "./http-server";
import { until } from "./until";

/** The run view's fields these tests read. */
export interface FinishedRunView {
  status: string;
  steps: { output?: { body?: string }; outputTruncated?: boolean }[];
  /** The task timeline: every task of the log, each output cut on its own. */
  tasks: { output?: unknown }[];
}

/** Polls `GET /api/runs/:id` as `user` until the run completed or failed: the view, and its raw text. */
export async function finishedRunView(
  t: TestServer,
  runId: string,
  user: string,
): Promise<{ view: FinishedRunView; text: string }> {
  let view: FinishedRunView = { status: "", steps: [], tasks: [] };
  let text = "";
  await until(async () => {
    const got = await t.call("GET", `/api/runs/${runId}`, { user });
    view = got.json as FinishedRunView;
    text = got.text;
    return view.status === "completed" || view.status === "failed";
  }, "the run to finish");
  return { view, text };
}
