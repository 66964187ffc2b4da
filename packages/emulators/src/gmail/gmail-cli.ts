import type { EmulatorCli } from "../shared/emulator-descriptor";
import { GmailEmulator } from "./gmail-emulator";

/** How `autoflow-emulators` runs the Gmail emulator: `--seed gmail=<subject>` delivers a message to the inbox. */
export const gmailCli: EmulatorCli = {
  seedHelp: "a message in ada@example.com's inbox, with this subject, e.g. gmail=Welcome",
  seedExample: "Welcome",
  checkSeed: (value) =>
    /[\r\n]/.test(value) || value.trim() === "" ? `"${value}" is not a subject` : undefined,
  create: ({ port }) => {
    const emulator = new GmailEmulator(port === undefined ? {} : { port });
    return {
      emulator,
      seed(value) {
        const message = emulator.deliver(
          `From: Grace <grace@example.com>\r\nTo: ada@example.com\r\nSubject: ${value}\r\nMessage-ID: <seed.${Date.now()}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${value}\r\n`,
        );
        return `${message.id} (${value})`;
      },
    };
  },
};
