// Hashes of the inline scripts in the pages `next build` prerendered (.next/server/app/*.html).
// Those pages are served as built, without a per-request nonce, so the CSP lists their inline
// scripts by hash instead; the root layout's theme script is among them, which covers it on
// dynamic pages too.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(INLINE_SCRIPT)) if (m[1] !== "") out.push(`sha256-${crypto.createHash("sha256").update(m[1], "utf8").digest("base64")}`);
  return out;
}

function htmlFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? htmlFiles(path.join(dir, e.name)) : e.name.endsWith(".html") ? [path.join(dir, e.name)] : []));
}

let cached: { distDir: string; buildId: string; hashes: string[]; checkedAt: number } | null = null;
const RECHECK_MS = 5000;

/** The hashes for the current build (re-read when .next/BUILD_ID changes; checked every 5 s). */
export function prerenderedScriptHashes(distDir = path.join(process.cwd(), ".next"), now = Date.now()): string[] {
  if (cached?.distDir === distDir && now - cached.checkedAt < RECHECK_MS) return cached.hashes;
  let buildId: string;
  try {
    buildId = fs.readFileSync(path.join(distDir, "BUILD_ID"), "utf8");
  } catch {
    return [];
  }
  if (cached?.distDir === distDir && cached.buildId === buildId) {
    cached.checkedAt = now;
    return cached.hashes;
  }
  const hashes = new Set<string>();
  for (const file of htmlFiles(path.join(distDir, "server", "app"))) for (const h of inlineScriptHashes(fs.readFileSync(file, "utf8"))) hashes.add(h);
  cached = { distDir, buildId, hashes: [...hashes].sort(), checkedAt: now };
  return cached.hashes;
}
