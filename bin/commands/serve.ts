import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { projectRoot } from "./root";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the dashboard (builds it first when needed)")
    .option("-p, --port <port>", "port", process.env.PORT ?? "3000")
    .option("-H, --host <host>", "address to bind (default 127.0.0.1: only this machine)", process.env.HOST ?? "127.0.0.1")
    .action(async (options: { port: string; host: string }) => {
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
    });
}
