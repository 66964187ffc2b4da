import { formatTime } from "../lib/format";

/** A point in time, readable, with the exact ISO-8601 value in `datetime` and the tooltip. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso)}
    </time>
  );
}
