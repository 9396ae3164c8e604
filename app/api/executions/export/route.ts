// The filtered executions list as CSV or JSON (the same filters as the list page, up to 10,000 rows).
import { z } from "zod";
import { searchExecutions } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { executionFilterFrom } from "../../../executions/search-params";

export const dynamic = "force-dynamic";

const Format = z.enum(["csv", "json"]);
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export async function GET(req: Request) {
  const url = new URL(req.url);
  const format = Format.safeParse(url.searchParams.get("format") ?? "csv");
  if (!format.success) return Response.json({ error: "format must be csv or json" }, { status: 400 });
  const sp: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) sp[k] = k in sp ? [...[sp[k]].flat(), v] : v;
  const filter = { ...executionFilterFrom(sp, Date.now()), page: 1, pageSize: 10_000 };
  const { rows } = await searchExecutions(await getStore(), filter);
  const data = rows.map((r) => ({ ...r, startDate: new Date(r.startDate).toISOString(), stopDate: r.stopDate === null ? null : new Date(r.stopDate).toISOString() }));
  if (format.data === "json") return new Response(JSON.stringify(data, null, 1), { headers: { "Content-Type": "application/json", "Content-Disposition": 'attachment; filename="executions.json"' } });
  const cols = ["id", "name", "arn", "stateMachine", "status", "startDate", "stopDate", "durationMs", "failedState", "error", "cause", "transitions", "retries", "eventCount"] as const;
  const csv = [cols.join(","), ...data.map((r) => cols.map((c) => csvCell(r[c])).join(","))].join("\n");
  return new Response(csv, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="executions.csv"' } });
}
