import { afterEach, describe, expect, it } from "vitest";
import { EMULATORS } from "../src/emulator-list";

const started: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.stop()));
});

describe.each(EMULATORS)("$id emulator's service variables", (descriptor) => {
  const create = () => {
    const { emulator } = descriptor.cli.create({});
    started.push(emulator);
    return emulator;
  };

  it("name the API and web URLs (and the OAuth app, where there is one) under AUTOFLOW_<P>_", async () => {
    const emulator = create();
    const url = await emulator.start();
    const prefix = `AUTOFLOW_${descriptor.id.toUpperCase().replace(/-/g, "_")}_`;

    expect(descriptor.envPrefix).toBe(prefix);
    expect(emulator.apiUrl.startsWith(url)).toBe(true);
    expect(emulator.webUrl).toBe(url);
    expect(emulator.env()).toEqual({
      [`${prefix}API_URL`]: emulator.apiUrl,
      [`${prefix}WEB_URL`]: url,
      ...(emulator.oauthClient && {
        [`${prefix}CLIENT_ID`]: emulator.oauthClient.clientId,
        [`${prefix}CLIENT_SECRET`]: emulator.oauthClient.clientSecret,
      }),
    });
  });

  it("take another prefix, for a second connection of the same provider", async () => {
    const emulator = create();
    await emulator.start();
    const names = Object.keys(emulator.env()).map((name) => name.slice(descriptor.envPrefix.length));
    expect(Object.keys(emulator.env("AUTOFLOW_WORK_")).sort()).toEqual(
      names.map((name) => `AUTOFLOW_WORK_${name}`).sort(),
    );
  });
});
