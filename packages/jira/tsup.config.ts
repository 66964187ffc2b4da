import { packageBuild } from "../../tsup.shared";

// Splitting in CJS too: `@autoflow/jira/provider` then shares `Jira` with the main entry instead of
// bundling a second copy of the class (one class, one `instanceof`, in ESM and CJS alike).
export default packageBuild({ index: "src/index.ts", provider: "src/provider.ts" }, { splitting: true });
