import { actionsHarness } from "@autoflow/actions/testing";
import { DEFAULT_GMAIL_ADDRESS, GmailEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gmailAction } from "../src/actions/gmail-action";
import { gmailProvider } from "../src/provider";

// Gmail's registry action, through the worker and the Gmail class, against the emulator: an OAuth token in the
// vault, and the options the service derives from AUTOFLOW_GMAIL_API_URL, with a short timeout.
const gmail = new GmailEmulator();
const { registry, run: runSteps } = actionsHarness(gmailProvider.actions, () => ({
  vault: { "cred-gmail": { provider: "gmail", type: "oauth2", access_token: gmail.mintToken() } },
  providers: { gmail: { ...gmailProvider.clientOptions({ apiUrl: gmail.apiUrl }), timeoutMs: 2_000 } },
}));
beforeAll(() => gmail.start());
afterAll(() => gmail.stop());

describe("gmail's registry actions", () => {
  it("lists gmail.sendEmail with the provider and the credentials it takes", () => {
    const [send] = registry.list();
    expect(send).toMatchObject({
      key: "gmail.sendEmail",
      ...gmailAction,
      inputSchema: { required: ["to", "subject"] },
    });
    expect(
      registry.get("gmail.sendEmail").inputSchema.safeParse({ to: "not an address", subject: "x" }).success,
    ).toBe(false);
  });

  it("gmail.sendEmail sends one message as a workflow step", async () => {
    const { result } = await runSteps([
      {
        id: "send",
        action: "gmail.sendEmail",
        inputs: { to: "grace@example.com", subject: "Welcome", text: "Hello" },
        credentialId: "cred-gmail",
      },
    ]);
    expect(result.status, JSON.stringify(result)).toBe("completed");
    const messages = [...gmail.state.mailbox(DEFAULT_GMAIL_ADDRESS).messages.values()];
    expect(messages).toHaveLength(1);
    const steps = result.status === "completed" ? result.output.steps : [];
    expect(steps[0]?.output).toMatchObject({ id: messages[0]?.id, threadId: messages[0]?.threadId });
  });
});
