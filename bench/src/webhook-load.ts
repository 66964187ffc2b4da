/**
 * @module
 * The load generator of the webhook-intake section, run as a SECOND process so it does not share the
 * service's event loop: autocannon sends the precomputed signed deliveries (each once, in order, whatever
 * connection sends it) and prints its result as JSON on stdout.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

/** What the parent writes for the child: where to send, and every request already signed. */
export interface LoadPlan {
  url: string;
  connections: number;
  requests: { headers: Record<string, string>; body: string }[];
}

const plan = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as LoadPlan;
let next = 0;
const started = performance.now();
let lastResponseAt = started;
const result = await autocannon({
  url: plan.url,
  method: "POST",
  connections: plan.connections,
  amount: plan.requests.length,
  requests: [
    {
      method: "POST",
      // Each request takes the next precomputed delivery: a unique id and a valid signature every time.
      setupRequest: (request) => {
        const delivery = plan.requests[next++ % plan.requests.length];
        return { ...request, headers: delivery?.headers ?? {}, body: delivery?.body ?? "" };
      },
      onResponse: () => {
        lastResponseAt = performance.now();
      },
    },
  ],
});
// autocannon's own `duration` ends on its next one-second tick after the last answer; the rate uses the
// time from the start to the last answer instead.
const seconds = (lastResponseAt - started) / 1000;
process.stdout.write(
  `${JSON.stringify({
    duration: seconds,
    total: result.requests.total,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: { p50: result.latency.p50, p99: result.latency.p99, average: result.latency.average },
  })}\n`,
);
