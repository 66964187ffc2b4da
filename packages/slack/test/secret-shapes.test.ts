import { maskToken, redactSecrets } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { Slack } from "../src/index";
import { slackProvider } from "../src/provider";

// Slack's token shapes live in its provider definition; constructing `Slack` registers them with core.
new Slack({ id: "shapes", token: "xoxb-registered-by-construction-0000" });

// Token-shaped strings that are not any token the runtime was told about.
const BOT = "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
const USER = "xoxp-1234567890-1234567890123-1234567890123-0123456789abcdef";
const REFRESH = "xoxe-1-My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA";

describe("Slack's token shapes", () => {
  it("are the manifest's, so the service registers the same shapes at start", () => {
    expect(slackProvider.secrets).toBe(new Slack({ id: "s", token: "xoxb-x" }).definition.secrets);
  });

  it.each([
    ["bot", BOT],
    ["user", USER],
    ["refresh", REFRESH],
  ])("masks a %s token in free text, keeping the prefix and the last four characters", (_kind, token) => {
    const redacted = redactSecrets(`request failed for ${token} (see logs)`);
    expect(redacted).toBe(`request failed for ${maskToken(token)} (see logs)`);
    expect(redacted).not.toContain(token.slice(5, -4));
  });

  it("masks as the spec's tokenMasked form", () => {
    expect(maskToken("xoxb-1234567890-abcd")).toBe("xoxb-…abcd");
    expect(maskToken("xoxb-12345")).toBe("xoxb-****");
    expect(maskToken(REFRESH)).toBe("xoxe-…g5MA");
  });

  it("masks an app-level token, alone in a line or next to a word that flags a secret", () => {
    const app = "xapp-1-A0123456789-1234567890123-0123456789abcdef";
    expect(redactSecrets(`connecting with ${app} failed`)).toBe(`connecting with ${maskToken(app)} failed`);
    expect(redactSecrets(`app token ${app} rejected`)).toBe(`app token ${maskToken(app)} rejected`);
  });
});
