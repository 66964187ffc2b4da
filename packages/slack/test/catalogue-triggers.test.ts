import { createTriggerRegistry, createWorkflowTrigger, type WorkflowTrigger } from "@autoflow/actions";
import type { WebhookDelivery } from "@autoflow/core";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackWebhookVerifier } from "../src/index";
import { slackProvider } from "../src/provider";
import { startIntake } from "./webhook-intake";

// Real deliveries: the emulator POSTs signed Events API events to core's intake over loopback; the catalogue's
// triggers must match them exactly as the provider factories do.
const slack = new SlackEmulator();
const SLACK_SECRET = "catalogue-slack-signing-secret";
let slackIntake: Awaited<ReturnType<typeof startIntake>>;

const triggerRegistry = createTriggerRegistry(slackProvider.triggers);
const build = (trigger: WorkflowTrigger) => createWorkflowTrigger(trigger, triggerRegistry);
const payloadSchemaOf = (key: string) => {
  const schema = triggerRegistry.get(key).payloadSchema;
  if (!schema) throw new Error(`${key} declares no payloadSchema`);
  return schema;
};

beforeAll(async () => {
  await slack.start();
  slackIntake = await startIntake(createSlackWebhookVerifier({ signingSecrets: [SLACK_SECRET] }));
  const subscription = await slack.configureEvents({
    requestUrl: slackIntake.url,
    signingSecret: SLACK_SECRET,
  });
  if (!subscription.verified) throw new Error("the Slack emulator did not verify the intake URL");
});
afterAll(async () => {
  await slack.stop();
  await slackIntake?.close();
});

async function slackDelivery(type: string, where: (event: Record<string, unknown>) => boolean) {
  await slack.awaitEvents();
  const found = (await slackIntake.deliveries()).find((delivery) => {
    const event = (delivery.payload as { event?: Record<string, unknown> }).event;
    return delivery.event === type && event !== undefined && where(event);
  });
  if (!found) throw new Error(`no ${type} event reached the intake`);
  return found;
}

const matching = (delivery: WebhookDelivery, triggers: WorkflowTrigger[]) =>
  triggers.filter((trigger) => build(trigger).matches(delivery)).map((trigger) => trigger.inputs);

describe("Slack catalogue triggers on real emulator events", () => {
  it("slack.message matches a person's message in the channel, not another channel", async () => {
    const text = `hello-${Math.random()}`;
    slack.userSays("C0001", text);
    const delivery = await slackDelivery("message", (event) => event.text === text);
    const key = "slack.message";
    const candidates: WorkflowTrigger[] = [
      { key, inputs: { channel: "C0001" } },
      { key },
      { key, inputs: { channel: "C0002" } },
    ];
    expect(matching(delivery, candidates)).toEqual([{ channel: "C0001" }, undefined]);
    const payload = build({ key, inputs: { channel: "C0001" } }).payloadOf(delivery);
    const parsed = payloadSchemaOf(key).safeParse(payload);
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toMatchObject({ event: { text, channel: "C0001", user: "U0001" }, teamId: "T0001" });
    expect(build({ key: "slack.appMention" }).matches(delivery)).toBe(false);
    expect(build({ key: "slack.reactionAdded" }).matches(delivery)).toBe(false);
  });

  it("slack.appMention and slack.reactionAdded match a mention and a reaction, filtered by channel and emoji", async () => {
    const text = `<@U0BOT> look-${Math.random()}`;
    const said = slack.userSays("C0001", text);
    slack.userReacts("C0001", said.ts, "eyes");
    const mention = await slackDelivery("app_mention", (event) => event.text === text);
    const reaction = await slackDelivery(
      "reaction_added",
      (event) => (event.item as { ts?: string }).ts === said.ts,
    );

    expect(
      matching(mention, [
        { key: "slack.appMention", inputs: { channel: "C0001" } },
        { key: "slack.appMention", inputs: { channel: "C0002" } },
        { key: "slack.message", inputs: { channel: "C0001" } },
      ]),
    ).toEqual([{ channel: "C0001" }]);
    expect(
      matching(reaction, [
        { key: "slack.reactionAdded", inputs: { channel: "C0001", reaction: "eyes" } },
        { key: "slack.reactionAdded", inputs: { reaction: ":eyes:" } },
        { key: "slack.reactionAdded", inputs: { channel: "C0001", reaction: "tada" } },
        { key: "slack.reactionAdded", inputs: { channel: "C0002" } },
      ]),
    ).toEqual([{ channel: "C0001", reaction: "eyes" }, { reaction: ":eyes:" }]);
    const mentionPayload = build({ key: "slack.appMention" }).payloadOf(mention);
    const reactionPayload = build({ key: "slack.reactionAdded" }).payloadOf(reaction);
    expect(payloadSchemaOf("slack.appMention").safeParse(mentionPayload).error).toBeUndefined();
    expect(payloadSchemaOf("slack.reactionAdded").safeParse(reactionPayload).error).toBeUndefined();
  });
});
