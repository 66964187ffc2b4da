import { gmail_v1 } from "@googleapis/gmail";
import { afterEach, expect, it } from "vitest";
import { killLeftovers } from "./cli-process";
import { field, runCli } from "./cli-run";

afterEach(killLeftovers);

function sdk(output: string): gmail_v1.Gmail {
  return new gmail_v1.Gmail({
    rootUrl: `${field(output, "gmail", "API URL")}/`,
    retry: false,
    headers: { Authorization: `Bearer ${field(output, "gmail", "Token")}` },
  });
}

it("--seed gmail=<subject> delivers a message to the inbox the printed token reads", async () => {
  const cli = runCli(["--providers", "gmail", "--seed", "gmail=Welcome aboard"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  expect(output).toContain("AUTOFLOW_GMAIL_CLIENT_ID=");
  const gmail = sdk(output);
  const { data } = await gmail.users.messages.list({ userId: "me", labelIds: ["INBOX"] });
  const [listed] = data.messages ?? [];
  const message = await gmail.users.messages.get({
    userId: "me",
    id: String(listed?.id),
    format: "metadata",
  });
  expect(message.data.payload?.headers?.find((h) => h.name === "Subject")?.value).toBe("Welcome aboard");
});

it("--fault gmail=rate-limited answers every call with Gmail's 429 rateLimitExceeded and Retry-After", async () => {
  const cli = runCli(["--providers", "gmail", "--fault", "gmail=rate-limited"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const error = await sdk(output)
    .users.getProfile({ userId: "me" })
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 429 });
  expect((error as { response: { headers: Headers } }).response.headers.get("retry-after")).toBe("30");
});
