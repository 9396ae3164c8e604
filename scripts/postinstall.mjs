// Runs after `npm install` / `npm ci`: generates the Prisma clients (no engine download) and
// bundles the CLI so bin/statelens starts fast.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (!fs.existsSync(path.join(root, "node_modules", "prisma"))) process.exit(0); // installed as a dependency without dev tools
execFileSync(process.execPath, [path.join(root, "scripts/prisma-generate.mjs")], { cwd: root, stdio: "inherit" });
execFileSync(process.execPath, [path.join(root, "scripts/build-cli.mjs")], { cwd: root, stdio: "inherit" });
