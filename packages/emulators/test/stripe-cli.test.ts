import Stripe from "stripe";
import { afterEach, expect, it } from "vitest";
import { killLeftovers } from "./cli-process";
import { field, runCli } from "./cli-run";

afterEach(killLeftovers);

function sdk(output: string): Stripe {
  const url = new URL(field(output, "stripe", "API URL"));
  return new Stripe(field(output, "stripe", "Token"), {
    host: url.hostname,
    port: url.port,
    protocol: "http",
    maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient(),
  });
}

it("--seed stripe=<email> adds a customer the printed key sees", async () => {
  const cli = runCli(["--providers", "stripe", "--seed", "stripe=ada@example.com"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const customers = await sdk(output).customers.list();
  expect(customers.data.map((c) => c.email)).toEqual(["ada@example.com"]);
});

it("--fault stripe=rate-limited answers every call with Stripe's 429 and Retry-After", async () => {
  const cli = runCli(["--providers", "stripe", "--fault", "stripe=rate-limited"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const error = await sdk(output)
    .balance.retrieve()
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ statusCode: 429, code: "rate_limit" });
});

it("refuses a seed that is not an email address, with exit code 2", async () => {
  const exit = await runCli(["--seed", "stripe=not-an-email"]).exited;
  expect(exit.code).toBe(2);
  expect(exit.stderr).toContain('"not-an-email" is not an email address');
});
