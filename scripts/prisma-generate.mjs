// Generates one Prisma client per provider from prisma/schema.prisma without the native schema
// engine (see docs/prisma-offline.md): the PostgreSQL datamodel differs only in its provider.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { postgresDatamodelText } from "./datamodel.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");


const variants = [
  ["sqlite", source],
  ["postgres", postgresDatamodelText(source)],
];
const prismaBin = path.join(root, "node_modules/prisma/build/index.js");
for (const [name, text] of variants) {
  const file = path.join(root, "prisma", `.${name}.generated.prisma`);
  fs.writeFileSync(file, text);
  execFileSync(process.execPath, [prismaBin, "generate", "--schema", file], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    // Point the CLI at an existing file so it never tries to download the schema engine.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
  fs.rmSync(file);
}
