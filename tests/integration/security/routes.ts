// The routes of the app, found by walking app/ at test time so routes added later are covered:
// every page.tsx (GET) and every route.ts with the HTTP methods it exports.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../../e2e/server";

export interface AppRoute {
  /** URL path with dynamic segments filled in. */
  path: string;
  file: string;
  kind: "page" | "route";
  methods: string[];
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith("_") || e.name.startsWith("@") ? [] : walk(p);
    return /^(page|route)\.(t|j)sx?$/.test(e.name) ? [p] : [];
  });
}

/** `[id]` -> 1, `[name]` -> a name, `[...slug]` -> a/b; route groups `(x)` vanish. */
function urlPath(relDir: string, fill: (param: string) => string): string {
  const parts = relDir.split(path.sep).filter((s) => s !== "" && !/^\(.*\)$/.test(s));
  return "/" + parts.map((s) => {
    const m = /^\[\[?(\.\.\.)?([^\]]+)\]\]?$/.exec(s);
    return m ? encodeURIComponent(fill(m[2])) : s;
  }).join("/");
}

export function appRoutes(fill: (param: string) => string = (p) => (/id$/i.test(p) ? "1" : "orders")): AppRoute[] {
  const appDir = path.join(ROOT, "app");
  return walk(appDir).map((file) => {
    const rel = path.relative(appDir, path.dirname(file));
    const kind = path.basename(file).startsWith("page") ? "page" : "route";
    const source = fs.readFileSync(file, "utf8");
    const methods = kind === "page" ? ["GET"] : METHODS.filter((m) => new RegExp(`export\\s+(async\\s+)?(function\\s+${m}\\b|const\\s+${m}\\b)|export\\s*\\{[^}]*\\b${m}\\b`).test(source));
    return { path: urlPath(rel, fill), file: path.relative(ROOT, file), kind, methods };
  });
}

/** Every query parameter name the pages and route handlers read, found in their sources. */
export function queryParameterNames(): string[] {
  const names = new Set<string>();
  const files = (function all(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(path.join(dir, e.name)) : /\.(t|j)sx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
  })(path.join(ROOT, "app"));
  for (const f of files) {
    const s = fs.readFileSync(f, "utf8");
    for (const m of s.matchAll(/\bsp\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
    for (const m of s.matchAll(/\bsp\[["']([^"']+)["']\]/g)) names.add(m[1]);
    for (const m of s.matchAll(/searchParams\.(?:get|getAll|has)\(["']([^"']+)["']\)/g)) names.add(m[1]);
  }
  return [...names].sort();
}
