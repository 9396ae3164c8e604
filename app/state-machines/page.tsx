import Link from "next/link";
import { machineCost, projectMonth } from "@/lib/analysis/cost";
import { parseTimeRange, rangeParams } from "@/lib/analysis/time-range";
import { machineUsage } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDollars, formatInt, formatPct, formatTime } from "../lib-format";
import { one, type SearchParams } from "../_components/page-params";
import { TimeRangePicker } from "../_components/time-range-picker";

export const dynamic = "force-dynamic";

export default async function StateMachinesPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const range = parseTimeRange({ range: one(sp.range), from: one(sp.from), to: one(sp.to) }, Date.now());
  const usage = await machineUsage(await getStore(), range);
  const rq = new URLSearchParams(rangeParams(range)).toString();
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3"><h1 className="text-xl font-semibold">State machines</h1><TimeRangePicker label={range.label} /></div>
      {usage.length === 0 ? <p className="rounded border border-dashed border-slate-300 p-8 text-center text-slate-500">No state machines yet. <Link href="/upload" className="text-sky-700 underline">Import histories</Link>.</p> : (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="machines-table">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800"><tr><th className="px-2 py-2">State machine</th><th>Type</th><th className="text-right">Executions</th><th className="text-right">Failure rate</th><th className="text-right">Transitions</th><th className="text-right">Retries</th><th className="text-right">Cost in range</th><th className="text-right">30-day projection</th><th className="px-2">Last run</th></tr></thead>
            <tbody>
              {usage.map((u) => {
                const c = machineCost(u, u.region);
                return (
                  <tr key={u.id} data-row className="border-b border-slate-100 dark:border-slate-800">
                    <td className="px-2 py-1.5"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/state-machines/${encodeURIComponent(u.name)}?${rq}`}>{u.name}</Link></td>
                    <td className="text-xs">{u.type}</td>
                    <td className="text-right"><Link href={`/executions?${rq}&stateMachine=${encodeURIComponent(u.name)}`} className="hover:underline">{formatInt(u.executions)}</Link></td>
                    <td className={`text-right ${u.failed ? "text-red-600" : ""}`}>{u.executions ? formatPct(u.failed / u.executions) : "—"}</td>
                    <td className="text-right">{formatInt(u.transitions)}</td>
                    <td className="text-right text-amber-700 dark:text-amber-400">{formatInt(u.retries)}</td>
                    <td className="text-right font-medium" data-testid={`machine-cost-${u.name}`}>{formatDollars(c.dollars)}</td>
                    <td className="text-right">{formatDollars(projectMonth(c.dollars, range.to - range.from))}</td>
                    <td className="px-2 text-xs">{formatTime(u.lastStart)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
