import type { IncomingHttpHeaders } from "node:http";

/** A request as an emulator route sees it: body already parsed by content type. */
export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON, a form as an object of strings, or `undefined` for other bodies. */
  body: unknown;
  /** `:name` segments of the matched route. */
  params: Record<string, string>;
  /** The bearer token of the `Authorization` header, if any. */
  bearer?: string;
}

/** What a route answers. An object body is sent as JSON; a string or Buffer as is. */
export interface EmulatorResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type RouteHandler = (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

/** One entry of an emulator's request log, for tests to assert on. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** The status answered, or the fault that replaced the answer (`answer-lost`: handled, then the answer lost). */
  outcome: number | "reset" | "hang" | "drop" | "answer-lost";
  /** The headers answered (`x-emulator-fallback: spec` on an answer generated from the description); none for a transport fault. */
  responseHeaders?: Record<string, string>;
  /** The described operation the request is (`GET /repos/{owner}/{repo}`), when the emulator has its provider's description. */
  operation?: string;
  at: number;
}
