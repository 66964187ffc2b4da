import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { destinationRefusal, type EgressLookup } from "../src/egress/index";

// A URL a user gives to be called later (a Jira site): checked against the egress policy when it is given.
const resolver =
  (addresses: Record<string, string[]>): EgressLookup =>
  (hostname, _options, callback) => {
    const found = addresses[hostname];
    if (!found) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(
      null,
      found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }) as LookupAddress),
    );
  };

const lookup = resolver({
  "acme.atlassian.net": ["104.192.141.1"],
  "sneaky.example.test": ["104.192.141.1", "10.0.0.5"],
  "metadata.example.test": ["169.254.169.254"],
  "jira.corp.internal": ["10.1.2.3"],
});

describe("destinationRefusal", () => {
  it("lets a public site through", async () => {
    expect(await destinationRefusal("https://acme.atlassian.net", {}, lookup)).toBeUndefined();
  });

  it.each([
    ["loopback", "http://127.0.0.1:8080", /127\.0\.0\.1 is a loopback address/],
    ["cloud metadata by address", "http://169.254.169.254/latest", /linkLocal/],
    ["cloud metadata by name", "https://metadata.example.test", /metadata\.example\.test resolves to/],
    ["a name with one private address among public ones", "https://sneaky.example.test", /private/],
    ["IPv6 loopback", "http://[::1]/", /loopback/],
    ["another scheme", "file:///etc/passwd", /file: URLs are not allowed/],
    ["credentials in the URL", "https://user:pw@acme.atlassian.net", /must not carry credentials/],
    ["a name that does not resolve", "https://nowhere.example.test", /does not resolve/],
    ["not a URL", "acme.atlassian.net", /is not a URL/],
  ])("refuses %s", async (_name, url, why) => {
    expect(await destinationRefusal(url, {}, lookup)).toMatch(why);
  });

  it("follows the operator's lists: an allowed internal site passes, a denied public one does not", async () => {
    expect(
      await destinationRefusal("https://jira.corp.internal", { allow: ["10.1.0.0/16"] }, lookup),
    ).toBeUndefined();
    expect(
      await destinationRefusal("https://jira.corp.internal", { allow: ["jira.corp.internal"] }, lookup),
    ).toBeUndefined();
    expect(
      await destinationRefusal("https://acme.atlassian.net", { deny: ["acme.atlassian.net"] }, lookup),
    ).toMatch(/deny-list/);
  });
});
