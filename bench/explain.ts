// Query plans for bench/scale.ts --explain: runs a dashboard query once with the store's raw
// driver recording its SQL, then prints each statement's plan: EXPLAIN (ANALYZE, BUFFERS) on
// PostgreSQL, EXPLAIN QUERY PLAN on SQLite (as a tree). Statements issued through Prisma (the
// execution page's row lookups) are not recorded.
import type { SqlDriver, SqlValue } from "@/lib/store/driver";

interface Recorded {
  sql: string;
  params: SqlValue[];
}

/** Runs `fn` while recording the SQL that goes through `driver.all` / `driver.run`. */
export async function recordSql(driver: SqlDriver, fn: () => Promise<unknown>): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  const target = driver as unknown as Record<"all" | "run", (sql: string, params?: SqlValue[]) => Promise<unknown>>;
  const original = { all: target.all, run: target.run };
  for (const method of ["all", "run"] as const) {
    target[method] = (sql: string, params: SqlValue[] = []) => {
      recorded.push({ sql, params });
      return original[method].call(driver, sql, params);
    };
  }
  try {
    await fn();
  } finally {
    delete (target as Partial<typeof target>).all;
    delete (target as Partial<typeof target>).run;
  }
  return recorded;
}

const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim();

function sqliteTree(rows: Array<{ id: number; parent: number; detail: string }>): string {
  const depth = new Map<number, number>([[0, -1]]);
  return rows
    .map((r) => {
      const d = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, d);
      return `${"  ".repeat(d)}${r.detail}`;
    })
    .join("\n");
}

/** The plans of every statement `fn` issues, as Markdown (one fenced block per statement). */
export async function explainQuery(driver: SqlDriver, name: string, fn: () => Promise<unknown>): Promise<string> {
  const statements = await recordSql(driver, fn);
  const out: string[] = [`#### ${name} (${driver.kind})`, ""];
  for (const [i, s] of statements.entries()) {
    const params = s.params.map((p) => (typeof p === "string" && p.length > 60 ? `${p.slice(0, 57)}...` : p));
    out.push(`statement ${i + 1} of ${statements.length}: \`${oneLine(s.sql).slice(0, 400)}\`${params.length ? ` with ${JSON.stringify(params)}` : ""}`, "");
    let plan: string;
    if (driver.kind === "postgres") {
      const rows = await driver.all<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params);
      plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    } else {
      plan = sqliteTree(await driver.all<{ id: number; parent: number; detail: string }>(`EXPLAIN QUERY PLAN ${s.sql}`, s.params));
    }
    out.push("```", plan, "```", "");
  }
  if (!statements.length) out.push("(no raw SQL: this query goes through Prisma)", "");
  return out.join("\n");
}
