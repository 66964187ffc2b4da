/** What the command prints about one running emulator. */
export interface EmulatorSummary {
  id: string;
  apiUrl: string;
  webUrl: string;
  token: string;
  /** More of the credential, labelled (an API token's email and site). */
  credentials: readonly (readonly [label: string, value: string])[];
  seeded: readonly string[];
  faults: readonly string[];
  env: Readonly<Record<string, string>>;
}

/** The human part: per emulator its URLs, a token it accepts, its seed data and faults. */
export function formatSummary(summaries: readonly EmulatorSummary[]): string {
  const lines: string[] = [];
  for (const s of summaries) {
    lines.push(`${s.id} emulator`);
    lines.push(`  API URL: ${s.apiUrl}`);
    lines.push(`  Web URL: ${s.webUrl}`);
    lines.push(`  Token:   ${s.token}`);
    for (const [label, value] of s.credentials) lines.push(`  ${`${label}:`.padEnd(8)} ${value}`);
    if (s.seeded.length > 0) lines.push(`  Seeded:  ${s.seeded.join(", ")}`);
    if (s.faults.length > 0) lines.push(`  Faults:  ${s.faults.join(", ")} (every API call)`);
    lines.push("");
  }
  return lines.join("\n");
}

/** `export NAME='value'` lines for a POSIX shell, one per variable, in the emulators' order. */
export function formatExports(summaries: readonly EmulatorSummary[]): string {
  return summaries
    .flatMap((s) => Object.entries(s.env))
    .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
    .join("");
}

// URLs and ids need no quoting; anything else is single-quoted, with embedded quotes closed and escaped.
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
