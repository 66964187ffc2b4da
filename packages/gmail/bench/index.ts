/**
 * @module
 * Gmail's rows in the bench (`bench/`, never published): what each section calls on Gmail and its emulator. The
 * bench type-checks and loads this file because `@autoflow/providers` lists Gmail; see `bench/src/provider-bench.ts`.
 */
import { GmailEmulator } from "@autoflow/emulators";
import { createGmailClient, Gmail } from "@autoflow/gmail";
import { gmail_v1 } from "@googleapis/gmail";
import type { ProviderBench } from "../../../bench/src/provider-bench";
import { LOST_ANSWER_CASES, labelsNamed, withSubject } from "./lost-answer-cases";

type Integrations = { gmail: Gmail };

export const bench = {
  name: "Gmail",
  emulator: (options) => new GmailEmulator(options),
  integrations: ({ apiUrl, token }, timeoutMs) => ({
    gmail: new Gmail({ id: "gmail", token, apiBaseUrl: apiUrl, timeoutMs }),
  }),
  overhead: {
    call: "users.getProfile",
    sdk: ({ apiUrl, token }, timeoutMs) => {
      const client = createGmailClient(token, { apiBaseUrl: apiUrl, timeoutMs });
      return () => client.users.getProfile({ userId: "me" });
    },
    task: (io, i) => io.gmail.users.getProfile(["profile", i], { userId: "me" }),
  },
  rateLimit: {
    call: "users.getProfile",
    refusedWith: [429],
    refusal: "Gmail 429 rateLimitExceeded with Retry-After",
    sdk: {
      label: "`@googleapis/gmail` with gaxios's retry on (3 retries on 429 and 5xx, its own backoff)",
      client: ({ apiUrl, token }) => {
        const client = new gmail_v1.Gmail({
          rootUrl: `${apiUrl.replace(/\/+$/, "")}/`,
          retry: true,
          headers: { Authorization: `Bearer ${token}` },
        });
        return () => client.users.getProfile({ userId: "me" });
      },
    },
    runtime: {
      label: "io.gmail.users.getProfile in a job (runtime retry + rate-limit bucket)",
      task: (io, i) => io.gmail.users.getProfile(["profile", i], { userId: "me" }),
    },
  },
  coldStart: { package: "@autoflow/gmail", sdk: "@googleapis/gmail" },
  effectivelyOnce: {
    lostAnswers: LOST_ANSWER_CASES,
    crashRun: {
      steps: [
        { task: "sendEmail", effect: "Gmail message" },
        { task: "users.labels.create", effect: "Gmail label" },
      ],
      run: async (io, mark) => {
        await io.gmail.sendEmail("send", { to: "grace@example.com", subject: mark, text: "Receipt" });
        await io.gmail.users.labels.create("label", { userId: "me", requestBody: { name: mark } });
      },
      count: (emulator, mark) => [withSubject(emulator, mark), labelsNamed(emulator, mark)],
    },
  },
} satisfies ProviderBench<Integrations, GmailEmulator>;
