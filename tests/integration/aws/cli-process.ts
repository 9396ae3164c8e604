// Runs `statelens sync` and `statelens serve-aws` as their own processes, bundled like
// dist/cli.mjs (esbuild, packages external) but with only these commands, so other commands' work
// in progress cannot break them.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "../../..");
// Inside node_modules so the bundle resolves its external packages from the project.
const outDir = path.join(root, "node_modules", ".cache", "statelens-aws-tests");

const ENTRY = `
import { Command, CommanderError } from "commander";
import { registerSync } from "@/bin/commands/sync";
import { registerServeAws } from "@/bin/commands/serve-aws";
import { CliError } from "@/bin/commands/util";
const program = new Command("statelens").exitOverride();
registerSync(program);
registerServeAws(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError) { process.stderr.write("statelens: " + err.message + "\\n"); process.exitCode = err.exitCode; }
  else if (err instanceof CommanderError) process.exitCode = 2;
  else { process.stderr.write(String(err && err.stack || err) + "\\n"); process.exitCode = 1; }
}
`;

export async function bundleCli(): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `cli-${process.pid}-${Date.now()}.mjs`);
  await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: "ts" },
    outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "error",
    alias: { "@": root },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

export function runSync(bundle: string, args: string[], env: Record<string, string>) {
  return runCommand(bundle, ["sync", ...args], env);
}

export function runCommand(bundle: string, args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
