import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The statelens checkout or package root: where package.json named "statelens" is. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "statelens") return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}
