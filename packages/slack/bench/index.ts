/**
 * @module
 * Slack's rows in the bench (`bench/`, never published): what each section calls on Slack and its emulator.
 * The bench type-checks and loads this file because `@autoflow/providers` lists Slack; see
 * `bench/src/provider-bench.ts`.
 */
import type { Step } from "@autoflow/actions";
import { SlackEmulator } from "@autoflow/emulators";
import { createWebClient, Slack } from "@autoflow/slack";
import { LogLevel, WebClient } from "@slack/web-api";
import type { ProviderBench } from "../../../bench/src/provider-bench";
import { LOST_ANSWER_CASES, messagesIn } from "./lost-answer-cases";
import { CHANNEL } from "./seeds";
import { BARE_CONSUMER, OUR_CONSUMER } from "./type-check-sample";

type Integrations = { slack: Slack };

export const bench = {
  name: "Slack",
  emulator: (options) => new SlackEmulator(options),
  integrations: ({ apiUrl, token }, timeoutMs) => ({
    slack: new Slack({ id: "slack", token, slackApiUrl: apiUrl, timeoutMs }),
  }),
  overhead: {
    call: "chat.postMessage",
    sdk: ({ apiUrl, token }, timeoutMs) => {
      const client = createWebClient(token, { slackApiUrl: apiUrl, timeoutMs });
      return (i) => client.chat.postMessage({ channel: CHANNEL, text: `sdk ${i}` });
    },
    task: (io, i) => io.slack.chat.postMessage(["post", i], { channel: CHANNEL, text: `task ${i}` }),
  },
  rateLimit: {
    call: "chat.postMessage",
    refusedWith: [429],
    refusal: "Slack 429",
    sdk: {
      label: "WebClient, default retryConfig (queues on 429, waits Retry-After)",
      client: ({ apiUrl, token }) => {
        const client = new WebClient(token, { slackApiUrl: apiUrl, logLevel: LogLevel.ERROR });
        return (i) => client.chat.postMessage({ channel: CHANNEL, text: `sdk ${i}` });
      },
    },
    runtime: {
      label: "io.slack.chat.postMessage in a job (runtime retry + rate-limit bucket)",
      task: (io, i) => io.slack.chat.postMessage(["post", i], { channel: CHANNEL, text: `task ${i}` }),
    },
  },
  coldStart: { package: "@autoflow/slack", sdk: "@slack/web-api" },
  typeCheck: {
    ours: OUR_CONSUMER,
    bare: BARE_CONSUMER,
    description:
      "posts a message: the README's job through `new Slack(...)` and `io.slack.chat.postMessage`, or `WebClient.chat.postMessage` directly",
  },
  effectivelyOnce: {
    lostAnswers: LOST_ANSWER_CASES,
    crashRun: {
      steps: [{ task: "chat.postMessage", effect: "Slack message" }],
      run: (io, mark) => io.slack.chat.postMessage("post", { channel: CHANNEL, text: mark }),
      count: (emulator, mark) => [messagesIn(emulator, mark)],
    },
  },
  workflowStep: {
    label: "one `slack.sendMessage` step to the emulator",
    step: {
      id: "say",
      action: "slack.sendMessage",
      inputs: { channel: CHANNEL, text: "run {{trigger.n}}" },
      credentialId: "slack",
    } satisfies Step,
  },
  memoryProbe: {
    label: "`io.slack.auth.test`",
    task: (io) => io.slack.auth.test("whoami"),
    rawCall: ({ apiUrl, token }, timeoutMs) => {
      const client = createWebClient(token, { slackApiUrl: apiUrl, timeoutMs });
      return () => client.auth.test();
    },
  },
} satisfies ProviderBench<Integrations, SlackEmulator>;
