import { packageBuild } from "../../tsup.shared";

export default packageBuild(
  { index: "src/index.ts", sqlite: "src/sqlite.ts", testing: "src/testing/index.ts" },
  { external: ["vitest"] },
);
