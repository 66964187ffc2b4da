import { MemoryWebhookInbox } from "@autoflow/core";
import { describeTriggerStore } from "./trigger-store-suite";

describeTriggerStore(
  "MemoryWebhookInbox",
  async () => ({ store: new MemoryWebhookInbox(), close: async () => {} }),
  { sharesData: false },
);
