/** The `p`-th percentile (0-100) of `values`, nearest-rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;

/** Nanosecond-resolution wall time in milliseconds. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export const ms = (value: number, digits = 1): string => `${value.toFixed(digits)} ms`;
export const us = (valueMs: number): string => `${(valueMs * 1000).toFixed(0)} µs`;
export const ratio = (value: number): string => `${value.toFixed(2)}x`;

/** A Markdown table from a header row and data rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
