import { MemoryConnectionStore } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../src/index";

// A provider whose API-key connections take a `siteUrl` sends the user's requests wherever the user typed. Its
// manifest must say so (`userAimedHosts`): that is how the service knows to give its clients the egress-checked
// fetch. Declared without a site field, it would only cost the provider redirects it no longer follows.
describe("userAimedHosts", () => {
  it.each(PROVIDERS.map((provider) => [provider.id, provider] as const))(
    "%s declares it exactly when its API-key connections take a siteUrl",
    (_id, provider) => {
      const lifecycle = provider.createLifecycle({ store: new MemoryConnectionStore() });
      const takesSite = lifecycle.adapter.apiKeyFields?.includes("siteUrl") ?? false;
      expect(provider.userAimedHosts === true).toBe(takesSite);
    },
  );
});
