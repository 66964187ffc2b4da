import { afterAll, beforeAll } from "vitest";
import { describeIntegrationContract } from "../src/testing/index";
import { Echo } from "./__fixtures__/echo-integration";
import { EchoServer } from "./__fixtures__/echo-server";

// The kit run against a fixture integration built the way provider packages are, over real HTTP.
const server = new EchoServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const baseUrl = () => (server.currentFault === "connection-refused" ? server.refusedUrl : server.url);

describeIntegrationContract<Echo>({
  className: "Echo",
  metadata: { name: "Echo", id: "echo" },
  create: (options) => new Echo({ ...options, baseUrl: baseUrl() }),
  token: "echo-token-123456",
  hostedAuth: { type: "oauth2", accessToken: "echo-oauth-123456" },
  tasks: [{ name: "messages.send", call: (echo, key) => echo.messages.send(key, { text: "hi" }) }],
  faults: {
    inject: (fault) => server.inject(fault),
    reset: () => server.inject(undefined),
    call: (echo, key) => echo.messages.send(key, { text: "fault" }),
  },
});
