import type { StandardFault } from "@autoflow/core/testing";
import type { EmulatorServer } from "../shared/emulator-server";
import { forbidden, issueNotFound, jiraError, rateLimited, unauthorized } from "./jira-wire";

// Persistent faults stay until clearFaults(): "fail the next N" with N as large as it gets.
const UNTIL_CLEARED = Number.MAX_SAFE_INTEGER;

/** Makes every request to `server` fail the way Jira Cloud fails for `fault`, until its faults are cleared. */
export async function injectJiraFault(
  server: EmulatorServer,
  fault: StandardFault,
  now: number,
): Promise<void> {
  const { faults } = server;
  switch (fault) {
    case "unauthorized":
      faults.failNext(UNTIL_CLEARED, unauthorized());
      return;
    case "forbidden":
      faults.failNext(UNTIL_CLEARED, forbidden());
      return;
    case "not-found":
      faults.failNext(UNTIL_CLEARED, issueNotFound());
      return;
    case "invalid-input":
      faults.failNext(
        UNTIL_CLEARED,
        jiraError(400, [], { summary: "You must specify a summary of the issue." }),
      );
      return;
    case "rate-limited":
      faults.failNext(UNTIL_CLEARED, rateLimited(30, now));
      return;
    case "server-error":
      faults.failNext(UNTIL_CLEARED, jiraError(500, ["Internal server error"]));
      return;
    case "bad-gateway":
      // The edge's page, not Jira's JSON: the answer comes from in front of Jira.
      faults.failNext(UNTIL_CLEARED, {
        status: 502,
        headers: { "content-type": "text/html" },
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      });
      return;
    case "unavailable":
      faults.failNext(UNTIL_CLEARED, {
        status: 503,
        headers: { "retry-after": "30", "content-type": "application/json;charset=UTF-8" },
        body: JSON.stringify({ errorMessages: ["Service Unavailable"], errors: {} }),
      });
      return;
    case "connection-refused":
      await server.refuseConnections();
      return;
    case "connection-reset":
      faults.resetNext(UNTIL_CLEARED);
      return;
    case "timeout":
      faults.hangNext(UNTIL_CLEARED);
      return;
    case "answer-lost":
      faults.loseAnswerNext(UNTIL_CLEARED);
      return;
  }
}
