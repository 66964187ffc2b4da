import type { WebhookDelivery } from "@autoflow/core";
import type { SlackEvent } from "@slack/types";

/**
 * What a Slack trigger's run receives: the inner `event` (typed from `@slack/types`) and the
 * envelope's identity. `eventId` is the dedupe key Slack repeats on every retry.
 */
export interface SlackEventPayload<TEvent> {
  event: TEvent;
  /** The envelope's `event_id` (`Ev...`): the same on every retry of one event. */
  eventId: string;
  /** The envelope's `event_time`, epoch seconds. */
  eventTime: number;
  /** The workspace the event happened in. */
  teamId: string;
  /** The Slack app the event was sent to. */
  apiAppId: string;
}

/** The Events API's `event_callback` envelope as the inbox stores it (the legacy `token` is dropped). */
export interface SlackEventEnvelope {
  type: "event_callback";
  event_id: string;
  event_time: number;
  team_id: string;
  api_app_id: string;
  event: { type: string; subtype?: string } & Record<string, unknown>;
}

/** The events with this `type` in `@slack/types`' union. */
export type SlackEventOfType<TType extends SlackEvent["type"]> = Extract<SlackEvent, { type: TType }>;

/** The stored envelope of a Slack delivery, or undefined for anything else. */
export function envelopeOf(delivery: WebhookDelivery): SlackEventEnvelope | undefined {
  if (delivery.provider !== "slack") return undefined;
  const payload = delivery.payload;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
  const event = payload.event;
  if (typeof event !== "object" || event === null || Array.isArray(event)) return undefined;
  return payload as unknown as SlackEventEnvelope;
}

/** The run payload of a delivery a Slack trigger matched. */
export function slackPayloadOf<TEvent>(delivery: WebhookDelivery): SlackEventPayload<TEvent> {
  const envelope = envelopeOf(delivery);
  if (!envelope) throw new TypeError(`Delivery ${delivery.deliveryId} is not a Slack event_callback`);
  return {
    event: envelope.event as unknown as TEvent,
    eventId: envelope.event_id,
    eventTime: envelope.event_time,
    teamId: envelope.team_id,
    apiAppId: envelope.api_app_id,
  };
}

/**
 * The conversation an event happened in: `channel` on messages and mentions, `item.channel` on
 * reactions and pins, `channel.id` on channel lifecycle events, `channel_id` on a few others.
 */
export function channelOf(event: Record<string, unknown>): string | undefined {
  const { channel, item, channel_id } = event;
  if (typeof channel === "string") return channel;
  if (typeof channel === "object" && channel !== null && "id" in channel && typeof channel.id === "string")
    return channel.id;
  if (typeof item === "object" && item !== null && "channel" in item && typeof item.channel === "string")
    return item.channel;
  return typeof channel_id === "string" ? channel_id : undefined;
}

/** Slack events carry channel ids (`C0123ABCD`), never names: a `#name` filter would never match. */
export function assertChannelId(channel: string | undefined, trigger: string): void {
  if (channel !== undefined && !/^[CGD][A-Z0-9]+$/.test(channel)) {
    throw new TypeError(
      `${trigger}: "channel" must be a channel id such as "C0123ABCD" (events carry ids, not names); got "${channel}"`,
    );
  }
}
