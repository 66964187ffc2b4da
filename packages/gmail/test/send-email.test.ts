import { DEFAULT_GMAIL_ADDRESS, GmailEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { gmailFor, runJob } from "./helpers";

// sendEmail through the real SDK against the emulator, asserted as a receiver sees the message: the emulator
// parses the raw MIME that `send` posted (headers with RFC 2047 words decoded, the MIME tree, attachments).
const emulator = new GmailEmulator();
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.stop());

const header = (headers: Array<{ name: string; value: string }>, name: string) =>
  headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

describe("sendEmail", () => {
  it("composes UTF-8 headers per RFC 2047, multipart/alternative in mixed, attachments, and base64url raw", async () => {
    const { result, output } = await runJob(gmailFor(emulator, token), (io) =>
      io.gmail.sendEmail("send", {
        to: ["Zoë Ångström <zoe@example.com>", "grace@example.com"],
        cc: "team@example.com",
        bcc: "audit@example.com",
        replyTo: "support@example.com",
        subject: "Réunion — 10 h ☕",
        text: "À bientôt",
        html: "<p>À <b>bientôt</b></p>",
        attachments: [
          { filename: "notes.txt", content: "line one\nline two" },
          {
            filename: "pixel.png",
            content: Buffer.from([137, 80, 78, 71]).toString("base64"),
            encoding: "base64",
          },
        ],
      }),
    );
    expect(result.status, JSON.stringify(result)).toBe("completed");
    const [request] = emulator.requests.filter((r) => r.path.endsWith("/messages/send"));
    const raw = ((request?.body ?? {}) as { raw: string }).raw;
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
    const head = Buffer.from(raw, "base64url").toString("latin1").split("\r\n\r\n")[0] ?? "";
    expect(head).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(head).not.toMatch(/[^\x20-\x7e\r\n\t]/); // 7-bit headers

    const message = emulator.state.mailbox(DEFAULT_GMAIL_ADDRESS).messages.get(String(output?.id));
    const { payload } = message ?? { payload: undefined };
    expect(header(payload?.headers ?? [], "subject")).toBe("Réunion — 10 h ☕");
    expect(header(payload?.headers ?? [], "to")).toBe("Zoë Ångström <zoe@example.com>, grace@example.com");
    expect(header(payload?.headers ?? [], "bcc")).toBe("audit@example.com");
    expect(header(payload?.headers ?? [], "message-id")).toBe(output?.messageId);
    expect(payload?.mimeType).toBe("multipart/mixed");
    const [alternative, notes, pixel] = payload?.parts ?? [];
    expect(alternative?.mimeType).toBe("multipart/alternative");
    expect(alternative?.parts?.map((part) => part.mimeType)).toEqual(["text/plain", "text/html"]);
    expect(Buffer.from(alternative?.parts?.[0]?.body.data ?? "", "base64url").toString()).toBe("À bientôt");
    expect(notes).toMatchObject({ filename: "notes.txt", mimeType: "text/plain" });
    expect(Buffer.from(notes?.body.data ?? "", "base64url").toString()).toBe("line one\nline two");
    expect(pixel).toMatchObject({ filename: "pixel.png", mimeType: "image/png" });
    expect([...Buffer.from(pixel?.body.data ?? "", "base64url")]).toEqual([137, 80, 78, 71]);
    expect(message?.labelIds).toEqual(["SENT"]);
  });

  it("replies in a thread with In-Reply-To and References", async () => {
    const original = emulator.deliver(
      "From: grace@example.com\r\nTo: ada@example.com\r\nSubject: Lunch?\r\nMessage-ID: <lunch.1@example.com>\r\n\r\nNoon?",
    );
    const { output } = await runJob(gmailFor(emulator, token), (io) =>
      io.gmail.sendEmail("reply", {
        to: "grace@example.com",
        subject: "Re: Lunch?",
        text: "Yes",
        threadId: original.threadId,
        inReplyTo: "<lunch.1@example.com>",
        references: "<lunch.1@example.com>",
      }),
    );
    expect(output?.threadId).toBe(original.threadId);
  });

  it.each([
    ["subject", { subject: "Hi\r\nBcc: everyone@example.com" }],
    ["to", { to: "ada@example.com\nBcc: x@example.com" }],
    ["attachments.filename", { attachments: [{ filename: "a\r\n.txt", content: "x" }] }],
  ])("refuses a line break in %s as schema, sending nothing", async (field, change) => {
    const { result } = await runJob(gmailFor(emulator, token), (io) =>
      io.gmail.sendEmail("inject", { to: "ada@example.com", subject: "Hi", text: "x", ...change }),
    );
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.error).toMatchObject({ type: "schema", code: "header_injection", retryable: false });
    expect(result.error.message).toContain(field);
    expect(emulator.requests.filter((r) => r.path.endsWith("/messages/send"))).toHaveLength(0);
  });
});
