import { gmail_v1 } from "@googleapis/gmail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GmailEmulator } from "../src/index";
import { loadDerivedSpec, OperationValidator } from "./openapi-conformance";

// Gmail's Discovery Document as OpenAPI (`specs/gmail/api-all.json`, revision 20240520, converted by
// scripts/gmail-spec-subset.mjs): every answer of every route the emulator serves, errors aside, validated against
// the operation's response schema, driven through the real `@googleapis/gmail` SDK over HTTP.
const description = loadDerivedSpec("gmail", "api-all.json");
const api = new OperationValidator(description);
const emulator = new GmailEmulator();
const violations: string[] = [];
const exercised = new Set<string>();

/** The SDK's fetch, checking every successful answer against the operation's response schema. */
const checkedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const literal = `${method} ${url.pathname.replace(/\/users\/me\//, "/users/{userId}/")}`;
  const operation = api.operations.includes(literal) ? literal : api.operationOf(method, url.pathname);
  if (!operation) violations.push(`${method} ${url.pathname}: not a described operation`);
  else if (response.ok) {
    exercised.add(operation);
    const text = await response.clone().text();
    violations.push(...api.validateResponse(operation, response.status, text === "" ? "" : JSON.parse(text)));
  }
  return response;
};

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const raw = (subject: string, extra = "") =>
  Buffer.from(
    `To: grace@example.com\r\nSubject: ${subject}\r\n${extra}Content-Type: text/plain\r\n\r\nHi`,
  ).toString("base64url");

describe("the Gmail emulator against Gmail's Discovery Document", () => {
  it("answers every operation it serves with state as described", async () => {
    const gmail = new gmail_v1.Gmail({
      rootUrl: `${emulator.apiUrl}/`,
      retry: false,
      headers: { Authorization: `Bearer ${emulator.mintToken()}` },
      fetchImplementation: checkedFetch,
    });
    const userId = "me";
    await gmail.users.getProfile({ userId });
    const incoming = emulator.deliver(
      "From: ann@example.com\r\nTo: ada@example.com\r\nSubject: Q\r\n\r\nA question",
    );
    const { data: sent } = await gmail.users.messages.send({ userId, requestBody: { raw: raw("Hello") } });
    await gmail.users.messages.insert({ userId, requestBody: { raw: raw("Inserted"), labelIds: ["INBOX"] } });
    await gmail.users.messages.list({ userId, q: "subject:Hello", maxResults: 10 });
    for (const format of ["full", "metadata", "minimal", "raw"]) {
      await gmail.users.messages.get({ userId, id: String(sent.id), format });
    }
    await gmail.users.messages.modify({
      userId,
      id: incoming.id,
      requestBody: { removeLabelIds: ["UNREAD"] },
    });
    await gmail.users.messages.trash({ userId, id: incoming.id });
    await gmail.users.messages.untrash({ userId, id: incoming.id });
    await gmail.users.messages.batchModify({
      userId,
      requestBody: { ids: [incoming.id], addLabelIds: ["STARRED"] },
    });
    await gmail.users.threads.list({ userId });
    await gmail.users.threads.get({ userId, id: incoming.threadId });
    await gmail.users.threads.modify({
      userId,
      id: incoming.threadId,
      requestBody: { addLabelIds: ["IMPORTANT"] },
    });
    const { data: draft } = await gmail.users.drafts.create({
      userId,
      requestBody: { message: { raw: raw("Draft") } },
    });
    await gmail.users.drafts.get({ userId, id: String(draft.id) });
    await gmail.users.drafts.list({ userId });
    await gmail.users.drafts.send({ userId, requestBody: { id: String(draft.id) } });
    const { data: spare } = await gmail.users.drafts.create({
      userId,
      requestBody: { message: { raw: raw("Spare") } },
    });
    await gmail.users.drafts.delete({ userId, id: String(spare.id) });
    await gmail.users.labels.list({ userId });
    const { data: label } = await gmail.users.labels.create({ userId, requestBody: { name: "Receipts" } });
    await gmail.users.labels.get({ userId, id: String(label.id) });
    await gmail.users.labels.delete({ userId, id: String(label.id) });
    await gmail.users.history.list({ userId, startHistoryId: "1000", historyTypes: ["messageAdded"] });
    await gmail.users.watch({ userId, requestBody: { topicName: "projects/acme/topics/gmail" } });
    await gmail.users.stop({ userId });
    await gmail.users.settings.getVacation({ userId });
    await gmail.users.messages.delete({ userId, id: incoming.id });

    expect(violations).toEqual([]);
    // Every request the SDK sent conforms to the description (recorded by the spec layer, never refused).
    expect(emulator.requestViolations).toEqual([]);
    const served = emulator.server.routes
      .filter(({ path }) => path.startsWith("/gmail/"))
      .map(({ method, path }) => `${method} ${path.replace(/:(\w+)/g, "{$1}")}`);
    const described = served.map((route) => api.operationOf(...(route.split(" ") as [string, string])));
    expect(described.filter((operation) => operation === undefined)).toEqual([]);
    expect([...new Set(described)].filter((operation) => !exercised.has(operation as string))).toEqual([]);
  });
});
