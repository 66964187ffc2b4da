import type { Ajv } from "ajv";
import { type RequestStyle, RequestValidator, type RequestViolation } from "./request-validation";
import { newSpecAjv, type SpecFormats, withoutNullable } from "./spec-ajv";
import { type SpecAnswer, SpecAnswers } from "./spec-answers";
import type { ApiDescription, Json } from "./spec-document";
import { type SpecMatch, type SpecOperation, SpecOperations } from "./spec-operations";
import type { EmulatorRequest, EmulatorResponse } from "./types";

/** The header on every answer the spec fallback gives, for tests and logs to tell it from a stateful route's. */
export const FALLBACK_HEADER = "x-emulator-fallback";

/**
 * What an emulator passes `EmulatorServer` so that every operation of its provider's description answers: the
 * description, and the provider's specifics (its auth check, its error shape).
 */
export interface SpecFallbackOptions extends RequestStyle {
  /** The whole REST/Web API description, as committed under `specs/<provider>/` (`loadApiDescription`). */
  description: ApiDescription;
  /** Formats the description uses beyond JSON Schema's and OpenAPI's: how to check them, what answers carry. */
  formats?: SpecFormats;
  /** Prefixes the described paths are also served under (a self-hosted edition's `/api/v3`); Swagger's `basePath` always is. */
  prefixes?: readonly string[];
  /** An operation is named by its path whatever the HTTP method (an RPC-style API where any method calls `/api/<method>`). */
  matchPathOnly?: boolean;
  /** The provider's answer to a caller it refuses (no token, a bad one), or undefined. No side effects: it is also asked before validating a stateful route's request. */
  refuse(request: EmulatorRequest, operation: SpecOperation): EmulatorResponse | undefined;
  /** The provider's answer to a request that breaks the description. */
  invalid(
    violations: RequestViolation[],
    operation: SpecOperation,
    request: EmulatorRequest,
  ): EmulatorResponse;
  /** What the provider adds to an answer given past its auth check (request id, rate-limit budget headers). */
  finish?(request: EmulatorRequest, response: EmulatorResponse): EmulatorResponse;
  /**
   * A stateful route's request that breaks the description: `refuse` (the default) answers `invalid`'s error instead
   * of running the route, `record` only records it in `requestViolations`.
   */
  requestValidation?: "refuse" | "record";
  /** Violations that are the description's fault, not the caller's (an outdated description): neither recorded nor refused. */
  allow?(violation: RequestViolation): boolean;
}

// One compiled description per process: every emulator of a provider shares its validators and answers (its
// formats come with its description, so they are the same for every emulator of it).
const compiledFor = new WeakMap<ApiDescription, { ajv: Ajv; answers: SpecAnswers }>();

/**
 * The spec layer of an emulator: which described operation a request is, whether it conforms, and, for operations
 * no stateful route serves, a schema-valid answer generated from the description.
 */
export class SpecFallback {
  readonly operations: SpecOperations;
  /** Requests that broke the description, oldest first (allowed ones left out). */
  readonly violations: RequestViolation[] = [];
  private readonly validator: RequestValidator;
  private readonly answers: SpecAnswers;

  constructor(private readonly options: SpecFallbackOptions) {
    this.operations = new SpecOperations(options.description, options);
    let compiled = compiledFor.get(options.description);
    if (!compiled) {
      const ajv = newSpecAjv(false, options.formats);
      ajv.addSchema(withoutNullable(options.description) as Json, "spec");
      compiled = { ajv, answers: new SpecAnswers(ajv, options.description, options.formats) };
      compiledFor.set(options.description, compiled);
    }
    this.answers = compiled.answers;
    this.validator = new RequestValidator(compiled.ajv, options.description, options);
  }

  /** The described operation `request` is, if any. */
  match(request: EmulatorRequest): SpecMatch | undefined {
    return this.operations.match(request.method, request.path);
  }

  /** The success answer the fallback gives for `operation`, or why it has none. */
  answerFor(operation: SpecOperation): SpecAnswer {
    return this.answers.for(operation);
  }

  /**
   * Before a stateful route runs: the request's violations are recorded and, unless validation only records,
   * answered with the provider's error. A refused caller is left to the route, which answers its own auth error.
   */
  guard(request: EmulatorRequest, match: SpecMatch): EmulatorResponse | undefined {
    if (this.options.refuse(request, match.operation)) return undefined;
    const violations = this.check(request, match);
    if (violations.length === 0 || this.options.requestValidation === "record") return undefined;
    return this.options.invalid(violations, match.operation, request);
  }

  /** A request no stateful route serves: the provider's auth check, validation, then the generated answer. */
  answer(request: EmulatorRequest, match: SpecMatch): EmulatorResponse {
    const { operation } = match;
    const refused = this.options.refuse(request, operation);
    if (refused) return marked(refused);
    const finish = (response: EmulatorResponse) =>
      marked(this.options.finish?.(request, response) ?? response);
    const violations = this.check(request, match);
    if (violations.length > 0) return finish(this.options.invalid(violations, operation, request));
    const answer = this.answers.for(operation);
    if (answer.kind === "missing") {
      return finish({
        status: 501,
        body: { message: `${operation.key} has no answer the description allows: ${answer.reason}` },
      });
    }
    if (answer.body === undefined) return finish({ status: answer.status });
    const contentType = answer.contentType ?? "application/json";
    const json = contentType.includes("json");
    return finish({
      status: answer.status,
      headers: { "content-type": json ? `${contentType}; charset=utf-8` : contentType },
      body: json ? JSON.stringify(answer.body) : String(answer.body),
    });
  }

  private check(request: EmulatorRequest, match: SpecMatch): RequestViolation[] {
    const allow = this.options.allow;
    const violations = this.validator.validate(request, match).filter((v) => !allow?.(v));
    this.violations.push(...violations);
    return violations;
  }
}

function marked(response: EmulatorResponse): EmulatorResponse {
  return { ...response, headers: { ...response.headers, [FALLBACK_HEADER]: "spec" } };
}
