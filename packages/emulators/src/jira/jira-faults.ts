import type { HttpFault } from "../shared/http-emulator";
import type { EmulatorResponse } from "../shared/types";
import { forbidden, issueNotFound, jiraError, rateLimited, unauthorized } from "./jira-wire";

/** Jira Cloud's answer to each standard HTTP fault (the transport faults are the emulator kit's). */
export function jiraFaultAnswer(fault: HttpFault, now: number): EmulatorResponse {
  switch (fault) {
    case "unauthorized":
      return unauthorized();
    case "forbidden":
      return forbidden();
    case "not-found":
      return issueNotFound();
    case "invalid-input":
      return jiraError(400, [], { summary: "You must specify a summary of the issue." });
    case "rate-limited":
      return rateLimited(30, now);
    case "server-error":
      return jiraError(500, ["Internal server error"]);
    case "bad-gateway":
      // The edge's page, not Jira's JSON: the answer comes from in front of Jira.
      return {
        status: 502,
        headers: { "content-type": "text/html" },
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
      };
    case "unavailable":
      return {
        status: 503,
        headers: { "retry-after": "30", "content-type": "application/json;charset=UTF-8" },
        body: JSON.stringify({ errorMessages: ["Service Unavailable"], errors: {} }),
      };
  }
}
