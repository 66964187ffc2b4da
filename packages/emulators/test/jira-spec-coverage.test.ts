import { expect, it } from "vitest";
import { JiraEmulator } from "../src/index";
import { specCoverage } from "../src/shared/spec-coverage";
import { FALLBACK_HEADER } from "../src/shared/spec-fallback";
import { describeSpecCoverage } from "./spec-coverage-suite";

// A fixed cloud id, so the gateway twins of the undescribed routes have known paths.
const CLOUD_ID = "11111111-2222-3333-4444-555555555555";

describeSpecCoverage({
  provider: "jira",
  server: () => new JiraEmulator({ cloudId: CLOUD_ID }).server,
  description: "platform-all.json",
  undescribedRoutes: {
    // Atlassian's OAuth 2.0 (3LO) authority (auth.atlassian.com, api.atlassian.com), not the platform REST API.
    "GET /authorize": "OAuth 2.0 authorize page",
    "POST /oauth/token": "OAuth 2.0 token endpoint",
    "GET /oauth/token/accessible-resources": "OAuth 2.0 accessible resources",
    // The site's own cloud id lookup, outside the REST API.
    "GET /_edge/tenant_info": "site tenant info",
    // API v2 (not in the v3 description): where jira.js sends wiki-markup strings, on both doors.
    "POST /rest/api/2/issue": "API v2 (wiki markup)",
    "POST /rest/api/2/issue/:issueIdOrKey/comment": "API v2 (wiki markup)",
    [`POST /ex/jira/${CLOUD_ID}/rest/api/2/issue`]: "API v2 (wiki markup), through the gateway",
    [`POST /ex/jira/${CLOUD_ID}/rest/api/2/issue/:issueIdOrKey/comment`]:
      "API v2 (wiki markup), through the gateway",
  },
});

it("lists what the description leaves without a success answer, and answers the rest from it on both doors", async () => {
  const emulator = new JiraEmulator();
  const coverage = specCoverage(emulator.server);
  expect(coverage.missing.filter((m) => m.reason !== "no 2xx response is described")).toEqual([]);
  await emulator.start();
  try {
    const token = emulator.mintApiToken();
    const basic = `Basic ${Buffer.from(`${token.email}:${token.apiToken}`).toString("base64")}`;
    const onSite = await fetch(`${emulator.siteUrl}/rest/api/3/serverInfo`, {
      headers: { authorization: basic },
    });
    expect(onSite.status).toBe(200);
    expect(onSite.headers.get(FALLBACK_HEADER)).toBe("spec");
    const viaGateway = await fetch(`${emulator.gatewayUrl}/rest/api/3/serverInfo`, {
      headers: { authorization: `Bearer ${emulator.mintToken()}` },
    });
    expect(viaGateway.status).toBe(200);
    expect((await fetch(`${emulator.siteUrl}/rest/api/3/serverInfo`)).status).toBe(401);
  } finally {
    await emulator.stop();
  }
});
