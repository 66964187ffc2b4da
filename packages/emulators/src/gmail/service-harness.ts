import type { ServiceHarness } from "../shared/service-harness";
import { DEFAULT_GMAIL_ADDRESS, GmailEmulator } from "./gmail-emulator";

/** The Gmail emulator as the service's HTTP contract tests drive it: connections are to ada@example.com's mailbox. */
export function gmailServiceHarness(): ServiceHarness {
  const emulator = new GmailEmulator();
  return {
    start: async () => void (await emulator.start()),
    stop: () => emulator.stop(),
    endpoints: () => ({ apiUrl: emulator.apiUrl, webUrl: emulator.webUrl }),
    oauthClient: () => ({ ...emulator.oauthClient }),
    mintToken: () => emulator.mintToken(),
    async revokeToken(token) {
      if (!emulator.revokeToken(token)) throw new Error("unknown Google token");
    },
    rateLimit: () => emulator.rateLimit(0, 60_000),
    clearFaults: () => emulator.clearFaults(),
    expectedMetadata: { emailAddress: DEFAULT_GMAIL_ADDRESS },
  };
}
