import { defineJob, type TriggerPayload, type WebhookTrigger } from "@autoflow/core";
import type {
  AppMentionEvent,
  BotMessageEvent,
  GenericMessageEvent,
  MessageChangedEvent,
  ReactionAddedEvent,
  ReactionRemovedEvent,
} from "@slack/types";
import { describe, expect, expectTypeOf, it } from "vitest";
import { Slack, type SlackEventPayload, type SlackPostedMessageEvent } from "../src/index";

// Checked by `tsc` (pnpm typecheck); the runtime assertions only keep vitest honest about the file.
const slack = new Slack({ id: "types", token: "xoxb-types-only-000000" });

describe("trigger payloads are typed from @slack/types", () => {
  it("onReactionAdded's run gets a ReactionAddedEvent and the envelope's ids", () => {
    const trigger = slack.onReactionAdded({ reaction: "eyes" });
    expectTypeOf(trigger).toEqualTypeOf<WebhookTrigger<SlackEventPayload<ReactionAddedEvent>>>();
    defineJob({
      id: "typed-reaction",
      trigger,
      run: async (payload) => {
        expectTypeOf(payload.event).toEqualTypeOf<ReactionAddedEvent>();
        expectTypeOf(payload.event.item.channel).toEqualTypeOf<string>();
        expectTypeOf(payload.eventId).toEqualTypeOf<string>();
        expectTypeOf(payload.eventTime).toEqualTypeOf<number>();
        // @ts-expect-error reaction events have no text
        payload.event.text;
      },
    });
    expect(trigger.provider).toBe("slack");
  });

  it("onAppMention gives an AppMentionEvent; onEvent narrows SlackEvent by type", () => {
    expectTypeOf<TriggerPayload<ReturnType<Slack["onAppMention"]>>>().toEqualTypeOf<
      SlackEventPayload<AppMentionEvent>
    >();
    expectTypeOf(slack.onEvent("reaction_removed")).toEqualTypeOf<
      WebhookTrigger<SlackEventPayload<ReactionRemovedEvent>>
    >();
    // @ts-expect-error not a Slack event type
    slack.onEvent("reaction_exploded");
  });

  it("onMessage: new messages by default; bot messages and other subtypes only when asked", () => {
    type Event<T> = TriggerPayload<T> extends SlackEventPayload<infer E> ? E : never;
    const plain = slack.onMessage({ channel: "C01GENERAL" });
    expectTypeOf<Event<typeof plain>>().toEqualTypeOf<SlackPostedMessageEvent>();
    expectTypeOf<GenericMessageEvent>().toExtend<Event<typeof plain>>();
    expectTypeOf<BotMessageEvent>().not.toExtend<Event<typeof plain>>();

    const withBots = slack.onMessage({ includeBots: true });
    expectTypeOf<BotMessageEvent>().toExtend<Event<typeof withBots>>();

    const withEdits = slack.onMessage({ subtypes: ["message_changed"] });
    expectTypeOf<MessageChangedEvent>().toExtend<Event<typeof withEdits>>();
    expectTypeOf<BotMessageEvent>().not.toExtend<Event<typeof withEdits>>();

    // @ts-expect-error not a message subtype
    slack.onMessage({ subtypes: ["message_exploded"] });
    expect(plain.title).toBe("Slack: new message in C01GENERAL");
  });
});
