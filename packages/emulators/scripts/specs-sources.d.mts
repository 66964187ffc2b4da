// Types of `specs-sources.mjs` for the TypeScript tests that read it (`test/spec-coverage-suite.ts`).

/** One committed description `specs-update.mjs` derives. */
export interface SpecSource {
  output: string;
  source: string;
  extract: "operations" | "all-operations" | "webhooks" | "topics" | "examples";
  /** `METHOD /path` operations, webhook keys, topic names or event names (`examples`); absent for `all-operations`. */
  select?: string[];
}

export declare const SPEC_SOURCES: Record<string, SpecSource[]>;
