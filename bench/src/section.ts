/** How a section is run: `quick` asks for the small version CI runs. */
export interface BenchContext {
  quick: boolean;
  /** A scratch directory for the section's files, removed after the run. */
  tmpDir: string;
  /** Progress lines for the console; never part of the report. */
  log: (message: string) => void;
}

/** One target of the issue, checked against what was measured. */
export interface TargetResult {
  name: string;
  measured: string;
  target: string;
  /** `undefined` when it could not be measured (e.g. PostgreSQL unreachable). */
  met: boolean | undefined;
  /** Why it was missed or not measured; empty when met. */
  why?: string;
}

/** What a section returns: machine-readable rows, its Markdown, and its targets. */
export interface SectionResult {
  rows: Record<string, unknown>[];
  markdown: string;
  targets: TargetResult[];
}

/** A benchmark section: one module per section, listed in `sections.ts`. */
export interface BenchSection {
  id: string;
  title: string;
  run: (context: BenchContext) => Promise<SectionResult>;
}
