// A statelens server for end-to-end tests and the UI benchmark: a fresh SQLite database filled by
// `bin/statelens import` from generated histories, a production build (`next build`, skipped when
// .next/BUILD_ID is newer than every source file), `next start` on a free port, and Chromium.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { type DemoDocument } from "../fixtures/demo-histories";

/** The repository root: the nearest folder up from here whose package.json is statelens's (works bundled too). */
function findRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "statelens") return dir;
  }
  return process.cwd();
}
export const ROOT = findRoot(import.meta.dirname);
const SOURCE_DIRS = ["app", "lib", "next.config.js", "package.json", "postcss.config.mjs", "tsconfig.json"];

export interface TestServer {
  url: string;
  dbFile: string;
  browser: Browser;
  stop(): Promise<void>;
}

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === "node_modules" || entry === "generated" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** True when the production build is older than the sources (or missing). */
export function buildIsStale(): boolean {
  const id = path.join(ROOT, ".next", "BUILD_ID");
  if (!fs.existsSync(id)) return true;
  const built = fs.statSync(id).mtimeMs;
  return SOURCE_DIRS.some((d) => fs.existsSync(path.join(ROOT, d)) && newestMtime(path.join(ROOT, d)) > built);
}

/** Builds once even when several test files (vitest runs them in parallel) ask at the same time. */
export function ensureBuild(log: (s: string) => void = () => undefined): void {
  if (!buildIsStale()) return log("next build: up to date, skipped");
  const lock = path.join(os.tmpdir(), `statelens-next-build-${Buffer.from(ROOT).toString("hex").slice(-24)}.lock`);
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch {
      // Another process is building; a lock older than the deadline is a crashed build's.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) fs.rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`waited 15 min for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (!buildIsStale()) return log("next build: built by another test file");
    log("next build: running (this takes a few minutes)");
    execFileSync(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: ROOT, stdio: "pipe", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, maxBuffer: 64 * 1024 * 1024 });
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Writes the documents as files and imports them with the CLI into a new database. */
export function importDocuments(docs: DemoDocument[], dir: string): string {
  const files = path.join(dir, "histories");
  fs.mkdirSync(files, { recursive: true });
  const paths = docs.map((d) => {
    const p = path.join(files, d.file);
    fs.writeFileSync(p, JSON.stringify(d.document));
    return p;
  });
  const dbFile = path.join(dir, "statelens.db");
  execFileSync(process.execPath, [path.join(ROOT, "bin", "statelens"), "import", "--quiet", ...paths], { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: "pipe" });
  return dbFile;
}

export async function startNext(dbFile: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${dbFile}`, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${output}`);
    try {
      const res = await fetch(`${url}/upload`);
      if (res.ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`next start did not answer within 60 s: ${output}`);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
}

export async function startTestServer(docs: DemoDocument[], log: (s: string) => void = () => undefined): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "statelens-e2e-"));
  const dbFile = importDocuments(docs, dir);
  log(`imported ${docs.length} histories into ${dbFile}`);
  ensureBuild(log);
  const { url, child } = await startNext(dbFile);
  const browser = await launchChromium();
  return {
    url, dbFile, browser,
    async stop() {
      await browser.close().catch(() => undefined);
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 200));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
