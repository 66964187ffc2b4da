const TONES: Record<string, "good" | "warn" | "bad" | "info" | "neutral"> = {
  ok: "good",
  completed: "good",
  healthy: "good",
  degraded: "warn",
  waiting: "warn",
  suspended: "warn",
  queued: "info",
  deferred: "info",
  running: "info",
  down: "bad",
  failed: "bad",
  dead: "bad",
  cancelled: "neutral",
  pending: "neutral",
};

const GLYPHS: Record<string, string> = { good: "✓", warn: "!", bad: "✕", info: "…", neutral: "–" };

/** A status as text (the colour only repeats it): `ok`, `degraded`, `down`, a run's or a task's status. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = TONES[status] ?? "neutral";
  return (
    <span class={`badge badge-${tone}`} data-status={status}>
      <span aria-hidden="true">{GLYPHS[tone]} </span>
      {label ?? status}
    </span>
  );
}
