import { expect, it } from "vitest";
import { SlackEmulator } from "../src/index";
import { specCoverage } from "../src/shared/spec-coverage";
import { describeSpecCoverage } from "./spec-coverage-suite";

describeSpecCoverage({
  provider: "slack",
  server: () => new SlackEmulator().server,
  description: "web-api-all.json",
  undescribedRoutes: {
    // Newer than the 2020 description: the steps of `files.uploadV2`.
    "* /api/files.getUploadURLExternal": "newer than the description",
    "* /api/files.completeUploadExternal": "newer than the description",
    // Not Web API methods: the browser's OAuth page and the upload URL `files.getUploadURLExternal` hands out.
    "GET /oauth/v2/authorize": "OAuth web flow",
    "POST /upload/v1/:fileId": "file upload URL",
  },
});

it("lists no described Web API method as missing", () => {
  expect(specCoverage(new SlackEmulator().server).missing).toEqual([]);
});
