import { createActionRegistry, validateWorkflow, type WorkflowTrigger } from "@autoflow/actions";
import { catalogueHarness, startIntake, type WebhookIntake } from "@autoflow/actions/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackWebhookVerifier } from "../src/index";
import { slackProvider } from "../src/provider";

// Real deliveries: the emulator POSTs signed Events API events to core's intake over loopback; the catalogue's
// triggers must match them exactly as the provider factories do.
const slack = new SlackEmulator();
const SLACK_SECRET = "catalogue-slack-signing-secret";
let slackIntake: WebhookIntake;

const { registry, build, matching, payloadSchemaOf } = catalogueHarness(slackProvider.triggers);

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

describe("Slack catalogue trigger inputs", () => {
  it("lists message, reaction added and app mention; a channel filter is a channel id, and titles the trigger", () => {
    expect(registry.keys).toEqual(["slack.message", "slack.reactionAdded", "slack.appMention"]);
    expect(registry.list()[0]?.inputSchema).toMatchObject({
      properties: { channel: { type: "string", pattern: "^[CGD][A-Z0-9]+$" } },
    });
    expect(build({ key: "slack.message", inputs: { channel: "C01GENERAL" } }).title).toBe(
      "Slack: new message in C01GENERAL",
    );
  });

  it("a workflow's references into a message's payload: the envelope's fields, and the loose event", () => {
    const check = (text: string) => () =>
      validateWorkflow(
        {
          id: "wf",
          trigger: { key: "slack.message", inputs: { channel: "C01GENERAL" } },
          steps: [{ id: "notify", action: "slack.sendMessage", inputs: { channel: "C01RANDOM0", text } }],
        },
        createActionRegistry(slackProvider.actions),
        registry,
      );
    expect(check("{{trigger.event.text}} in {{trigger.event.channel}} {{trigger.teamId}}")).not.toThrow();
    expect(check("{{trigger.evnt.text}}")).toThrow(
      "steps.0.inputs.text: trigger.evnt.text is not in the payload of slack.message (it has: event, eventId, eventTime, teamId, apiAppId)",
    );
  });

  it("slack.message refuses a channel name: events carry channel ids, so it would never fire", () => {
    expect(() => build({ key: "slack.message", inputs: { channel: "#general" } })).toThrow(
      /^trigger\.inputs\.channel: must be a channel id/,
    );
  });
});

describe("Slack catalogue triggers on real emulator events", () => {
  it("slack.message matches a person's message in the channel, not another channel", async () => {
    const text = `hello-${Math.random()}`;
    slack.userSays("C01GENERAL", text);
    const delivery = await slackDelivery("message", (event) => event.text === text);
    const key = "slack.message";
    const candidates: WorkflowTrigger[] = [
      { key, inputs: { channel: "C01GENERAL" } },
      // A workspace scope: every channel of it.
      { key, inputs: { team: "T01ACME000" } },
      { key, inputs: { channel: "C01RANDOM0" } },
    ];
    expect(matching(delivery, candidates)).toEqual([{ channel: "C01GENERAL" }, { team: "T01ACME000" }]);
    const payload = build({ key, inputs: { channel: "C01GENERAL" } }).payloadOf(delivery);
    const parsed = payloadSchemaOf(key).safeParse(payload);
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toMatchObject({
      event: { text, channel: "C01GENERAL", user: "U0001" },
      teamId: "T01ACME000",
    });
    expect(build({ key: "slack.appMention", inputs: { team: "T01ACME000" } }).matches(delivery)).toBe(false);
    expect(build({ key: "slack.reactionAdded", inputs: { team: "T01ACME000" } }).matches(delivery)).toBe(
      false,
    );
  });

  it("slack.appMention and slack.reactionAdded match a mention and a reaction, filtered by channel and emoji", async () => {
    const text = `<@U0BOT> look-${Math.random()}`;
    const said = slack.userSays("C01GENERAL", text);
    slack.userReacts("C01GENERAL", said.ts, "eyes");
    const mention = await slackDelivery("app_mention", (event) => event.text === text);
    const reaction = await slackDelivery(
      "reaction_added",
      (event) => (event.item as { ts?: string }).ts === said.ts,
    );

    expect(
      matching(mention, [
        { key: "slack.appMention", inputs: { channel: "C01GENERAL" } },
        { key: "slack.appMention", inputs: { channel: "C01RANDOM0" } },
        { key: "slack.message", inputs: { channel: "C01GENERAL" } },
      ]),
    ).toEqual([{ channel: "C01GENERAL" }]);
    expect(
      matching(reaction, [
        { key: "slack.reactionAdded", inputs: { channel: "C01GENERAL", reaction: "eyes" } },
        { key: "slack.reactionAdded", inputs: { team: "T01ACME000", reaction: ":eyes:" } },
        { key: "slack.reactionAdded", inputs: { channel: "C01GENERAL", reaction: "tada" } },
        { key: "slack.reactionAdded", inputs: { channel: "C01RANDOM0" } },
      ]),
    ).toEqual([
      { channel: "C01GENERAL", reaction: "eyes" },
      { team: "T01ACME000", reaction: ":eyes:" },
    ]);
    const mentionPayload = build({ key: "slack.appMention", inputs: { team: "T01ACME000" } }).payloadOf(
      mention,
    );
    const reactionPayload = build({ key: "slack.reactionAdded", inputs: { team: "T01ACME000" } }).payloadOf(
      reaction,
    );
    expect(payloadSchemaOf("slack.appMention").safeParse(mentionPayload).error).toBeUndefined();
    expect(payloadSchemaOf("slack.reactionAdded").safeParse(reactionPayload).error).toBeUndefined();
  });
});
