// Bundles the CLI (bin/cli.ts and the lib/ code it uses) into dist/cli.mjs so that
// bin/statelens starts fast: no TypeScript transpilation per call. npm packages stay external.
// Code splitting: each command's implementation (bin/actions/*, loaded with import() when the
// command runs) and the code shared between entry points go to dist/chunks/, so a call loads
// only what its command needs. dist/cli.mjs needs dist/chunks/ next to it.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist");
const chunksDir = path.join(outdir, "chunks");
/** Chunks no entry point needs any more are deleted once they are this old (a running CLI may still load them). */
const STALE_CHUNK_MS = 60 * 60 * 1000;

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
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
    alias: { "@": root },
    banner: { js: "import { createRequire as __statelensCreateRequire } from 'node:module'; const require = __statelensCreateRequire(import.meta.url);" },
  });
  removeStaleChunks();
}

/**
 * Chunk names carry a content hash, so every change of the sources leaves the previous chunks
 * behind. Deletes those no dist/*.mjs (this build's entry points or earlier ones, e.g. a benchmark)
 * imports, directly or through another chunk, and that are older than STALE_CHUNK_MS.
 */
function removeStaleChunks() {
  if (!fs.existsSync(chunksDir)) return;
  const reachable = new Set();
  const visit = (file) => {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return;
    }
    for (const m of text.matchAll(/["']\.{1,2}\/(?:chunks\/)?([\w.-]+\.mjs)["']/g)) {
      const chunk = path.join(chunksDir, m[1]);
      if (!reachable.has(chunk) && fs.existsSync(chunk)) {
        reachable.add(chunk);
        visit(chunk);
      }
    }
  };
  for (const name of fs.readdirSync(outdir)) if (name.endsWith(".mjs")) visit(path.join(outdir, name));
  const now = Date.now();
  for (const name of fs.readdirSync(chunksDir)) {
    const file = path.join(chunksDir, name);
    const chunk = name.endsWith(".mjs.map") ? file.slice(0, -".map".length) : file;
    if (reachable.has(chunk)) continue;
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_CHUNK_MS) fs.rmSync(file, { force: true });
    } catch {
      // Removed meanwhile by another build.
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli(entriesFor(process.argv.slice(2)));
}
