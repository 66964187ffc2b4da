import {
  credentialOf,
  errorFromResponse,
  isSecretKeyName,
  type Json,
  type NormalizedAuth,
  parseJsonWithinDepth,
  retry,
} from "@autoflow/core";
import { z } from "zod";
import { defineAction } from "../define-action";
import { type EgressResponse, egressFetch } from "../egress/index";
import type { HttpActionOptions } from "../provider-options";

/** Methods HTTP defines as idempotent (RFC 9110 §9.2.2): repeating one after a lost answer is safe. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

const DEFAULT_TIMEOUT_MS = 30_000;
const BODY_SNIPPET = 300;

// Credentials by name, beyond core's list: GitLab's Private-Token, X-Auth-*, signatures, sessions.
const SECRET_HEADER = /token|auth|key|secret|signature|session|cookie|password/i;

const inputSchema = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).default("GET"),
  url: z.url({ protocol: /^https?$/ }).describe("Absolute http(s) URL"),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional().describe("JSON body, sent with content-type: application/json"),
  authHeader: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Header that carries the credential: `authorization` (Bearer, the default) or e.g. `x-api-key`",
    ),
});

type HttpInputs = z.output<typeof inputSchema>;

/** The credential's header: `Authorization: Bearer <secret>`, or the raw secret under `authHeader`. */
function authHeaders(auth: NormalizedAuth | undefined, inputs: HttpInputs): Record<string, string> {
  if (auth === undefined) return {};
  const name = (inputs.authHeader ?? "authorization").toLowerCase();
  const secret = credentialOf(auth);
  return { [name]: name === "authorization" ? `Bearer ${secret}` : secret };
}

/** `headers.<name>` for every header whose name says it holds a credential. */
function secretHeaderPaths(headers: Record<string, string> = {}): string[] {
  return Object.keys(headers)
    .filter((name) => !name.includes(".") && (isSecretKeyName(name) || SECRET_HEADER.test(name)))
    .map((name) => `headers.${name}`);
}

function lowerCaseKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function readBody(response: EgressResponse): Json | null {
  const text = new TextDecoder().decode(response.body);
  if (text === "") return null;
  if (/[/+]json\b/i.test(response.headers.get("content-type") ?? "")) {
    const parsed = parseJsonWithinDepth(text);
    if (parsed.ok) return parsed.value as Json;
    // A body labelled JSON that is not, or that nests too deeply to store and show: hand the text on rather
    // than fail the step.
  }
  return text;
}

async function send(inputs: HttpInputs, headers: Record<string, string>, options: HttpActionOptions) {
  const hasBody = inputs.body !== undefined && inputs.method !== "GET" && inputs.method !== "HEAD";
  const response = await egressFetch(
    inputs.url,
    {
      method: inputs.method,
      headers: {
        accept: "application/json, */*",
        ...(hasBody && { "content-type": "application/json" }),
        ...headers,
      },
      ...(hasBody && { body: JSON.stringify(inputs.body) }),
    },
    {
      policy: options.egress ?? {},
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.lookup && { lookup: options.lookup }),
      ...(options.fetch && { fetch: options.fetch }),
      credentialHeaders: ["authorization", (inputs.authHeader ?? "authorization").toLowerCase()],
    },
  );
  return { response, body: readBody(response) };
}

/**
 * `http.request`: the fallback step for any HTTP API not in the registry. One durable task per step;
 * 4xx/5xx are classified by core's `errorFromResponse` (5xx, 408 and 429 retried), and credential
 * headers are redacted from the task log.
 */
export const httpRequest = defineAction({
  key: "http.request",
  name: "HTTP request",
  description: "Sends an HTTP request and returns its status, headers and (JSON) body.",
  provider: "http",
  authType: ["bearer_token", "api_key", "oauth2"],
  credential: { optional: true, anyProvider: true },
  inputSchema,
  examples: [
    { url: "https://api.example.com/v1/status" },
    {
      method: "POST",
      url: "https://hooks.example.com/deploys",
      headers: { "x-request-source": "autoflow" },
      body: { service: "api", version: "2.4.1" },
      authHeader: "x-api-key",
    },
  ],
  redactInputs: (inputs) => secretHeaderPaths(inputs.headers),
  outputSchema: z.object({
    status: z.number(),
    headers: z.record(z.string(), z.string()),
    body: z.unknown(),
  }),
  run: async (ctx) => {
    const { inputs, auth } = ctx;
    const options = ctx.providers.http ?? {};
    const userHeaders = lowerCaseKeys(inputs.headers);
    const headers = { ...authHeaders(auth, inputs), ...userHeaders };
    const host = URL.canParse(inputs.url) ? new URL(inputs.url).host : inputs.url;
    return ctx.io.runTask(
      "request",
      async () => {
        const { response, body } = await send(inputs, headers, options);
        if (response.status < 200 || response.status >= 300) {
          const snippet = typeof body === "string" ? body : JSON.stringify(body ?? "");
          throw errorFromResponse({
            provider: "http",
            status: response.status,
            headers: response.headers,
            // The step registered its credential with the run: core scrubs it from this message.
            message: `${inputs.method} ${inputs.url} responded ${response.status}: ${snippet.slice(0, BODY_SNIPPET)}`,
          });
        }
        return { status: response.status, headers: Object.fromEntries(response.headers), body };
      },
      {
        name: `${inputs.method} ${host}`,
        icon: "http",
        params: { method: inputs.method, url: inputs.url, headers: userHeaders, body: inputs.body },
        redact: { paths: secretHeaderPaths(userHeaders) },
        properties: [
          { label: "Method", text: inputs.method },
          { label: "URL", text: inputs.url },
        ],
        retry: options.retry ?? retry.standardBackoff,
        // HTTP's idempotent methods may be repeated after a lost answer; a POST or PATCH is not repeated blindly.
        idempotency: IDEMPOTENT_METHODS.has(inputs.method) ? "idempotent" : "none",
      },
    );
  },
});
