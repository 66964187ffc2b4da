import { createMiddleware } from "hono/factory";

/**
 * Answers 400 to a URL whose path or query holds an encoded NUL (`%00`). Ids and filters from the URL go into
 * SQL text parameters, which PostgreSQL refuses with a NUL in them (a 500) while SQLite compares them as given:
 * refused before any route, both databases answer alike. A raw NUL never gets this far (the HTTP parser refuses
 * it), and decoding cannot produce one from anything but `%00`.
 */
export const refuseNulInUrl = createMiddleware(async (c, next) => {
  const { pathname, search } = new URL(c.req.url);
  if (pathname.includes("%00") || search.includes("%00")) {
    return c.json({ error: { code: "invalid_request", message: "The URL contains a NUL character" } }, 400);
  }
  await next();
});
