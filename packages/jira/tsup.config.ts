import type { Options } from "tsup";
import { packageBuild } from "../../tsup.shared";

const build = packageBuild({ index: "src/index.ts", provider: "src/provider.ts" }) as Options;

/**
 * jira.js 6 is ESM with an `import`-only export, so `require("jira.js")` cannot resolve it: the ESM build imports
 * it, the CJS build bundles it, with the zod it imports (jira.js depends on zod; this package has zod only as an
 * optional peer, which a CommonJS user may not have installed). The ESM build keeps both external.
 */
const configs: Options[] = [
  { ...build, format: ["esm"] },
  { ...build, format: ["cjs"], clean: false, noExternal: ["jira.js", /^zod(?:\/|$)/] },
];

export default configs;
