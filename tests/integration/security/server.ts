// A `next start` of a production build with a chosen STATELENS_AUTH, for the security and
// reliability tests. The free port and the CLI import come from the e2e helper
// (tests/e2e/server.ts). The build is not the shared .next: other engineers rebuild that one
// while tests run, and a server whose .next is rewritten under it answers 500 ("client reference
// manifest does not exist"). So the sources are copied to artifacts/.security-build (ignored by
// git, eslint and tsc) and built there once; the copy is rebuilt when proxy.ts, lib/security or
// app/login change or a page or route is added. Only one test file builds at a time.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, ROOT } from "../../e2e/server";

export const BUILD_DIR = path.join(ROOT, "artifacts", ".security-build");
const COPIED = ["app", "lib", "proxy.ts", "next.config.js", "package.json", "tsconfig.json", "postcss.config.mjs", "next-env.d.ts"];
// The build is redone when anything it is made of changed (the tests check the code as it is).
const SECURITY_SOURCES = ["proxy.ts", "lib", "app", "next.config.js"];
const LOCK = path.join(ROOT, "artifacts", ".security-build.lock");

function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((e) => newest(path.join(p, e))));
}

function routeFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : /^(page|route)\.tsx?$/.test(e.name) ? [path.relative(root, path.join(dir, e.name))] : [])) : [];
  return walk(path.join(root, "app")).sort();
}

function buildIsCurrent(): boolean {
  const id = path.join(BUILD_DIR, ".next", "BUILD_ID");
  if (!fs.existsSync(id)) return false;
  const built = fs.statSync(id).mtimeMs;
  const securityChanged = SECURITY_SOURCES.some((s) => fs.existsSync(path.join(ROOT, s)) && newest(path.join(ROOT, s)) > built);
  return !securityChanged && routeFiles(ROOT).join() === routeFiles(BUILD_DIR).join();
}

function build(): void {
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  for (const name of COPIED) if (fs.existsSync(path.join(ROOT, name))) fs.cpSync(path.join(ROOT, name), path.join(BUILD_DIR, name), { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: BUILD_DIR, stdio: "pipe", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, maxBuffer: 64 * 1024 * 1024 });
}

/** A production build of the current sources in BUILD_DIR. */
export async function ensureSecurityBuild(): Promise<void> {
  const deadline = Date.now() + 900_000;
  // A fresh clone has no artifacts/ yet: without it every mkdir of the lock fails as if another
  // build held it.
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    if (buildIsCurrent()) return;
    try {
      fs.mkdirSync(LOCK, { recursive: false });
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 15 minutes for ${LOCK}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    try {
      if (!buildIsCurrent()) build();
    } finally {
      fs.rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

export interface RunningServer {
  url: string;
  origin: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(dbFile: string, env: Record<string, string | undefined> = {}): Promise<RunningServer> {
  await ensureSecurityBuild();
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: BUILD_DIR,
    env: { ...process.env, STATELENS_AUTH: undefined, STATELENS_MASK_PATHS: undefined, ...env, DATABASE_URL: `file:${dbFile}`, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${output}`);
    try {
      // any answer from the proxy means the server is up (a misconfigured one refuses everything)
      if ((await fetch(`${url}/login`)).status < 500) return { url, origin: url, child, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`next start did not answer within 60 s: ${output}`);
}
