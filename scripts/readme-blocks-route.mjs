// biome-ignore-all lint/suspicious/noUndeclaredEnvVars: readme-blocks.mjs sets them for the block it starts; turbo never sees them
// Preloaded into every README block that scripts/readme-blocks.mjs runs: routes the real providers'
// API hosts to the emulators named by AUTOFLOW_SLACK_API_URL / AUTOFLOW_GITHUB_API_URL, so a sample
// written for slack.com and api.github.com runs as written, offline. Both SDKs call the global fetch.
const routes = [
  ["https://slack.com/api/", process.env.AUTOFLOW_SLACK_API_URL],
  ["https://api.github.com", process.env.AUTOFLOW_GITHUB_API_URL?.replace(/\/+$/, "")],
].filter(([, to]) => to);

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
