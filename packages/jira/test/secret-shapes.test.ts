import { maskToken, redactSecrets } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { Jira } from "../src/index";
import { jiraProvider } from "../src/provider";

// Jira's token shapes live in its provider definition; constructing `Jira` registers them with core.
new Jira({ id: "shapes", token: "ATATT3xFfGF0registeredByConstruction0000" });

describe("Jira's token shapes", () => {
  it("are the manifest's, so the service registers the same shapes at start", () => {
    expect(jiraProvider.secrets).toBe(new Jira({ id: "s", token: "ATATT3x" }).definition.secrets);
  });

  it("masks an Atlassian API token (ATATT3...) in free text, keeping the prefix and the last four characters", () => {
    const token = `ATATT3xFfGF0${"T-sR_aNdOm0123456789abcdefXYZ".repeat(6)}=0A1B2C3D`;
    const redacted = redactSecrets(`GET /rest/api/3/myself failed with ${token} for ada@example.com`);
    expect(redacted).toBe(`GET /rest/api/3/myself failed with ${maskToken(token)} for ada@example.com`);
    expect(redacted).not.toContain(token.slice(8, -4));
    expect(maskToken(token)).toMatch(/^ATATT3…[A-Za-z0-9_=-]{4}$/);
  });

  it("leave Jira's own words alone", () => {
    const text = "ATATT is a prefix; issue OPS-12 moved to Done";
    expect(redactSecrets(text)).toBe(text);
  });
});
