// The implementation of `statelens serve` (options and help: bin/commands/serve.ts, which loads
// this module only when the command runs).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../commands/root";

export interface ServeOptions {
  port: string;
  host: string;
}

/** The action of `statelens serve`. */
export async function serveAction(options: ServeOptions): Promise<void> {
  const root = projectRoot();
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    process.stdout.write("building the dashboard (first run)...\n");
    const built = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) {
      process.exitCode = built.status ?? 1;
      return;
    }
  }
  const child = spawn(process.execPath, [next, "start", "-p", options.port, "-H", options.host], { cwd: root, stdio: "inherit" });
  await new Promise<void>((resolve) => {
    const stop = () => child.kill("SIGTERM");
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    child.on("exit", (code) => {
      process.exitCode = code ?? 0;
      resolve();
    });
  });
}
