// Bundles the CLI (bin/cli.ts and the lib/ code it uses) into dist/cli.mjs so that
// bin/statelens starts fast: no TypeScript transpilation per call. npm packages stay external.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Extra entry points (e.g. benchmarks) become dist/<basename>.mjs. */
export function entriesFor(files) {
  return Object.fromEntries(files.map((e) => [path.basename(e).replace(/\.tsx?$/, ""), e]));
}

export async function buildCli(extra = {}) {
  const entries = { cli: "bin/cli.ts", ...extra };
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
    alias: { "@": root },
    banner: { js: "import { createRequire as __statelensCreateRequire } from 'node:module'; const require = __statelensCreateRequire(import.meta.url);" },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli(entriesFor(process.argv.slice(2)));
}
