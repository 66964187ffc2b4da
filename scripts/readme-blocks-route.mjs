// biome-ignore-all lint/suspicious/noUndeclaredEnvVars: readme-blocks.mjs sets it for the block it starts; turbo never sees it
// Preloaded into every README block that scripts/readme-blocks.mjs runs: routes the real providers' API
// hosts to the emulators, as AUTOFLOW_README_ROUTES lists them (JSON pairs of a real API base URL and the
// emulator's), so a sample written for the real service runs as written, offline. The providers' SDKs send through
// the kit's `nodeHttpFetch` (node:http and node:https, looked up on each request), an SDK used bare through the
// global fetch: both are routed.
import http from "node:http";
import https from "node:https";

const routes = JSON.parse(process.env.AUTOFLOW_README_ROUTES ?? "[]").map(([from, to]) => [
  from,
  // The emulator's base as the real one is written: with a trailing slash or without.
  from.endsWith("/") ? to.replace(/\/*$/, "/") : to.replace(/\/+$/, ""),
]);

/** The emulator URL `url` is routed to, if it names a routed API. */
function routed(url) {
  for (const [from, to] of routes) if (url.startsWith(from)) return to + url.slice(from.length);
  return undefined;
}

// `request(url, options?, callback?)` as the kit calls it; the options-only form is left as it is.
const plainRequest = http.request;
for (const client of [http, https]) {
  const realRequest = client.request;
  client.request = (first, ...rest) => {
    const target = typeof first === "string" || first instanceof URL ? routed(String(first)) : undefined;
    // The emulators listen on plain HTTP on loopback.
    return target === undefined
      ? realRequest.call(client, first, ...rest)
      : plainRequest.call(http, new URL(target), ...rest);
  };
}

const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const target = routed(url);
  if (target === undefined) return realFetch(input, init);
  return realFetch(
    typeof input === "string" || input instanceof URL ? target : new Request(target, input),
    init,
  );
};
