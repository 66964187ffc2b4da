import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  MemoryWebhookInbox,
  nodeWebhookHandler,
  type WebhookDelivery,
  type WebhookVerifier,
} from "@autoflow/core";

/** A running intake: where the provider (or its emulator) delivers, and what it accepted. */
export interface WebhookIntake {
  /** `http://127.0.0.1:<port>/api/webhooks/<provider>`. */
  readonly url: string;
  /** Every delivery the intake accepted, oldest first. */
  deliveries(): Promise<WebhookDelivery[]>;
  close(): Promise<void>;
}

/** Core's webhook intake on a loopback node:http server: verified deliveries land in an in-memory inbox. */
export async function startIntake(verifier: WebhookVerifier): Promise<WebhookIntake> {
  const inbox = new MemoryWebhookInbox();
  const server = createServer(nodeWebhookHandler({ verifier, inbox }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/${verifier.provider}`;
  return {
    url,
    deliveries: async () => inbox.pending(1_000),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
