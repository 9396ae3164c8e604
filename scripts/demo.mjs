// npm run demo: a month of demo executions (generated once by the local engine into
// data/demo.db), the dashboard built once, then served on http://localhost:3000.
// Flags: --fresh regenerates the data, --build rebuilds the dashboard.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const dbFile = path.join(root, "data", "demo.db");
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? `file:${dbFile}`, NEXT_TELEMETRY_DISABLED: "1" };
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const cli = path.join(root, "bin", "statelens");
if (args.has("--fresh")) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
if (!process.env.DATABASE_URL && !fs.existsSync(dbFile)) {
  console.log("demo: generating a month of executions with the local engine ...");
  run(process.execPath, [cli, "demo-data"]);
}
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
if (args.has("--build") || !fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("demo: building the dashboard (first run only) ...");
  run(process.execPath, [next, "build"]);
}
console.log(`demo: serving http://localhost:${port}`);
const server = spawn(process.execPath, [next, "start", "-p", port, "-H", host], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
