// Writes a new versioned migration for both providers from the change in prisma/schema.prisma.
// Usage: node --experimental-wasm-modules scripts/migration-new.mjs <name>
// Uses Prisma's schema engine compiled to WebAssembly (no native engine download). The datamodel
// each provider's migrations were last generated from is kept in prisma/migrations/<p>/schema.snapshot.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SchemaEngine } from "@prisma/schema-engine-wasm";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { postgresDatamodelText } from "./datamodel.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: migration-new.mjs <snake_case_name>");
  process.exit(2);
}
const sqliteText = fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
const providers = {
  sqlite: { text: sqliteText, factory: () => new PrismaBetterSqlite3({ url: `file:${path.join(os.tmpdir(), "statelens-diff.db")}` }) },
  postgresql: { text: postgresDatamodelText(sqliteText), factory: () => new PrismaPg({ connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" }) },
};
const stamp = new Date().toISOString().replace(/[-:TZ.]/g, "").slice(0, 14);
for (const [provider, { text, factory }] of Object.entries(providers)) {
  const dir = path.join(root, "prisma/migrations", provider);
  fs.mkdirSync(dir, { recursive: true });
  const snapshotFile = path.join(dir, "schema.snapshot");
  const previous = fs.existsSync(snapshotFile) ? fs.readFileSync(snapshotFile, "utf8") : null;
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", text]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory()));
  const filters = { externalTables: [], externalEnums: [] };
  const from = previous ? { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: previous }] } : { tag: "empty" };
  const { stdout } = await engine.diff({ from, to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: text }] }, script: true, exitCode: null, filters });
  if (!stdout.trim() || /empty migration/i.test(stdout)) {
    console.log(`${provider}: no change`);
    continue;
  }
  const folder = path.join(dir, `${stamp}_${name}`);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, "migration.sql"), stdout);
  fs.writeFileSync(path.join(dir, "migration_lock.toml"), `provider = "${provider}"\n`);
  fs.writeFileSync(snapshotFile, text);
  console.log(`${provider}: wrote ${path.relative(root, folder)}/migration.sql`);
}
await import("./bundle-migrations.mjs").then(async (m) => { const fs = await import("node:fs"); const path = await import("node:path"); fs.writeFileSync(path.join(process.cwd(), "lib/store/migrations-sql.ts"), m.renderModule()); });
