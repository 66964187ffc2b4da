import { packageBuild } from "../../tsup.shared";

// Only the assets locator: the app itself is built by Vite into dist/app (which tsup must not clean).
export default packageBuild({ index: "src/index.ts" }, { clean: ["!app"], shims: true });
