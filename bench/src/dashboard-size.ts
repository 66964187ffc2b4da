import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { dashboardAssetsDir } from "@autoflow/dashboard";
import type { BenchSection, SectionResult } from "./section";
import { table } from "./stats";

/** The budget for the dashboard's first load: the entry chunk and what it imports statically. */
const FIRST_LOAD_BUDGET_BYTES = 200 * 1024;

/**
 * The builder page's budget: its chunk and the shared chunks it adds (the JSON-Schema form library, preact/compat,
 * the validator), fetched only when the builder is opened. A ceiling that catches a heavy dependency creeping in.
 */
const BUILDER_BUDGET_BYTES = 150 * 1024;
const BUILDER_PAGE = "pages/builder.tsx";

/** One chunk of Vite's build manifest (`build.manifest`), as far as this section reads it. */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

/** Every chunk key `key` loads before it runs: itself and its static imports, transitively. */
function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key]?.imports ?? []) staticClosure(manifest, imported, seen);
  return seen;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * The dashboard's JavaScript as a browser downloads it, gzipped (level 9, what a server or CDN would send): the
 * first load (the entry chunk and its static imports, which every page needs) against the 200 KB budget, and each
 * page's lazy chunk with the shared chunks it adds. Reads the built app (`pnpm --filter @autoflow/dashboard
 * build`); a first load over the budget fails the run, since the budget is the promise, not a finding.
 */
export const dashboardSize: BenchSection = {
  id: "dashboard-size",
  title: "9. Dashboard JavaScript (gzipped)",
  run: async (context) => {
    const appDir = dashboardAssetsDir();
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(join(appDir, ".vite", "manifest.json"), "utf8")) as Manifest;
    } catch {
      throw new Error(`no dashboard build in ${appDir}: run pnpm --filter @autoflow/dashboard build first`);
    }
    const gzipped = new Map<string, number>();
    const sizeOf = (key: string) => {
      const chunk = manifest[key];
      if (!chunk) throw new Error(`the manifest names ${key} but has no such chunk`);
      let size = gzipped.get(key);
      if (size === undefined) {
        size = gzipSync(readFileSync(join(appDir, chunk.file)), { level: 9 }).length;
        gzipped.set(key, size);
      }
      return size;
    };
    const jsOnly = (keys: Iterable<string>) => [...keys].filter((k) => manifest[k]?.file.endsWith(".js"));

    const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
    if (!entry) throw new Error("the dashboard's manifest has no entry chunk");
    const firstLoad = jsOnly(staticClosure(manifest, entry));
    const firstLoadBytes = firstLoad.reduce((sum, key) => sum + sizeOf(key), 0);

    const pages = Object.keys(manifest)
      .filter((key) => manifest[key]?.isDynamicEntry)
      .map((key) => {
        const added = jsOnly(staticClosure(manifest, key)).filter((k) => !firstLoad.includes(k));
        return {
          page: manifest[key]?.src ?? key,
          chunkBytes: sizeOf(key),
          addedBytes: added.reduce((sum, k) => sum + sizeOf(k), 0),
        };
      });

    const met = firstLoadBytes <= FIRST_LOAD_BUDGET_BYTES;
    context.log(
      `first load ${kb(firstLoadBytes)} gzipped (${firstLoad.length} chunks); budget ${kb(FIRST_LOAD_BUDGET_BYTES)}`,
    );
    const builder = pages.find((p) => p.page === BUILDER_PAGE);
    if (builder)
      context.log(
        `builder page ${kb(builder.chunkBytes)} gzipped, ${kb(builder.addedBytes)} with its shared chunks, on its first visit only`,
      );
    if (!met) {
      throw new Error(
        `the dashboard's first load is ${kb(firstLoadBytes)} of JavaScript gzipped, over its ${kb(FIRST_LOAD_BUDGET_BYTES)} budget`,
      );
    }
    const rows = [
      {
        chunk: "first load (entry + static imports)",
        gzipBytes: firstLoadBytes,
        files: firstLoad.map((k) => manifest[k]?.file),
      },
      ...pages.map((p) => ({
        chunk: `page ${p.page}`,
        gzipBytes: p.chunkBytes,
        withSharedChunksBytes: p.addedBytes,
      })),
    ];
    const markdown = [
      "The built dashboard's JavaScript from Vite's manifest, each file gzipped at level 9: the first load is the entry chunk and its static imports (every page needs them); each page is a lazy chunk, loaded on its first visit, with the shared chunks it adds beyond the first load. The builder page (`pages/builder.tsx`) carries the JSON-Schema form library (react-jsonschema-form on preact/compat) and its validator, so it is the largest, and only it loads them.",
      "",
      table(
        ["JavaScript", "gzipped", "with the shared chunks it adds"],
        [
          ["first load (entry + static imports)", kb(firstLoadBytes), "—"],
          ...pages.map((p) => [`page \`${p.page}\``, kb(p.chunkBytes), kb(p.addedBytes)]),
        ],
      ),
    ].join("\n");
    return {
      rows,
      markdown,
      targets: [
        {
          name: "Dashboard first load: JavaScript gzipped",
          measured: kb(firstLoadBytes),
          target: `<= ${kb(FIRST_LOAD_BUDGET_BYTES)}`,
          met,
        },
        ...(builder
          ? [
              {
                name: "Dashboard builder page: JavaScript gzipped added on its first visit",
                measured: kb(builder.addedBytes),
                target: `<= ${kb(BUILDER_BUDGET_BYTES)}`,
                met: builder.addedBytes <= BUILDER_BUDGET_BYTES,
              },
            ]
          : []),
      ],
    } satisfies SectionResult;
  },
};
