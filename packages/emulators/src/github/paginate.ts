import type { EmulatorRequest, EmulatorResponse } from "../shared/types";

/** GitHub's list pagination: `per_page` (default 30, max 100), `page`, and a `link` header with next/prev/first/last. */
export function paginate<T>(items: T[], request: EmulatorRequest, selfUrl: string): EmulatorResponse {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get("per_page")) || 30));
  const page = Math.max(1, Number(request.query.get("page")) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string) => {
    const url = new URL(selfUrl);
    for (const [key, value] of request.query) url.searchParams.set(key, value);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, "prev")] : []),
    ...(page < last ? [link(page + 1, "next"), link(last, "last")] : []),
    ...(page > 1 ? [link(1, "first")] : []),
  ];
  return { status: 200, body, ...(links.length > 0 && { headers: { link: links.join(", ") } }) };
}
