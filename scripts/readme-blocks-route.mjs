// biome-ignore-all lint/suspicious/noUndeclaredEnvVars: readme-blocks.mjs sets it for the block it starts; turbo never sees it
// Preloaded into every README block that scripts/readme-blocks.mjs runs: routes the real providers' API
// hosts to the emulators, as AUTOFLOW_README_ROUTES lists them (JSON pairs of a real API base URL and the
// emulator's), so a sample written for the real service runs as written, offline. The SDKs call the global fetch.
const routes = JSON.parse(process.env.AUTOFLOW_README_ROUTES ?? "[]").map(([from, to]) => [
  from,
  // The emulator's base as the real one is written: with a trailing slash or without.
  from.endsWith("/") ? to.replace(/\/*$/, "/") : to.replace(/\/+$/, ""),
]);

const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  for (const [from, to] of routes) {
    if (url.startsWith(from)) {
      const routed = to + url.slice(from.length);
      return realFetch(
        typeof input === "string" || input instanceof URL ? routed : new Request(routed, input),
        init,
      );
    }
  }
  return realFetch(input, init);
};
