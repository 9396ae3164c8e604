// Which database statelens uses: SQLite (a file under data/, the zero-set-up default) or
// PostgreSQL when DATABASE_URL starts with postgres.
import path from "node:path";

export type DatabaseConfig =
  | { kind: "sqlite"; file: string; url: string }
  | { kind: "postgres"; url: string; schema?: string };

export const DEFAULT_SQLITE_FILE = "data/statelens.db";

export function resolveDatabase(url = process.env.DATABASE_URL, cwd = process.cwd()): DatabaseConfig {
  if (!url || url.trim() === "") {
    const file = path.resolve(cwd, DEFAULT_SQLITE_FILE);
    return { kind: "sqlite", file, url: `file:${file}` };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const schema = new URL(url).searchParams.get("schema") ?? undefined;
    return { kind: "postgres", url, schema };
  }
  if (url.startsWith("file:")) {
    const file = path.resolve(cwd, url.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
    return { kind: "sqlite", file, url: `file:${file}` };
  }
  throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or file: (got ${JSON.stringify(url.replace(/\/\/[^@]*@/, "//***@"))})`);
}

/** The connection string without credentials, for logs and the UI. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "sqlite") return `SQLite ${config.file}`;
  const u = new URL(config.url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
