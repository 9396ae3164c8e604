import Link from "next/link";
import { machineCost } from "@/lib/analysis/cost";
import { bucketSeries, bucketSizeFor, bucketStarts, parseTimeRange, rangeParams } from "@/lib/analysis/time-range";
import { executionsOverTime, machineUsage, overviewTotals, topErrors, topFailingStates } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDollars, formatDuration, formatInt, formatPct, STATUS_FILL } from "./lib-format";
import { StackedBars } from "./_components/charts";
import { one, type SearchParams } from "./_components/page-params";
import { TimeRangePicker } from "./_components/time-range-picker";

export const dynamic = "force-dynamic";

const STATUSES = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "RUNNING"];

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const store = await getStore();
  const range = parseTimeRange({ range: one(sp.range), from: one(sp.from), to: one(sp.to) }, Date.now());
  const bucketMs = bucketSizeFor(range.to - range.from);
  const f = { from: range.from, to: range.to, bucketMs };
  const [series, totals, failing, errors, usage] = await Promise.all([executionsOverTime(store, f), overviewTotals(store, f), topFailingStates(store, f), topErrors(store, f), machineUsage(store, range)]);
  const rq = new URLSearchParams(rangeParams(range)).toString();
  const chart = bucketSeries(series.map((s) => ({ bucket: s.bucket, series: s.status, value: s.n })), bucketStarts(range.from, range.to, bucketMs));
  const total = Object.values(totals.byStatus).reduce((a, b) => a + b, 0);
  const failed = (totals.byStatus.FAILED ?? 0) + (totals.byStatus.TIMED_OUT ?? 0) + (totals.byStatus.ABORTED ?? 0);
  const closed = total - (totals.byStatus.RUNNING ?? 0);
  const { p50, p95 } = totals;
  const costs = usage.filter((u) => u.executions > 0).map((u) => machineCost(u, u.region));
  const dollars = costs.reduce((s, c) => s + c.dollars, 0);
  const card = "rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Overview</h1>
        <TimeRangePicker label={range.label} />
      </div>
      {total === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-8 text-center text-slate-500 dark:border-slate-700">No executions in this time range. Pick a wider range, or <Link href="/upload" className="text-sky-700 underline">import histories</Link>.</p>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            <Link href={`/executions?${rq}`} className={card} data-testid="kpi-executions"><div className="text-xs text-slate-500">Executions</div><div className="text-2xl font-semibold">{formatInt(total)}</div></Link>
            <Link href={`/executions?${rq}&status=FAILED,TIMED_OUT,ABORTED`} className={card} data-testid="kpi-failed"><div className="text-xs text-slate-500">Failed</div><div className="text-2xl font-semibold text-red-600">{formatInt(failed)}</div></Link>
            <div className={card}><div className="text-xs text-slate-500">Failure rate</div><div className="text-2xl font-semibold">{formatPct(closed ? failed / closed : 0)}</div></div>
            <div className={card}><div className="text-xs text-slate-500">Duration p50 / p95</div><div className="text-lg font-semibold">{formatDuration(p50)} / {formatDuration(p95)}</div></div>
            <Link href={`/cost?${rq}`} className={card}><div className="text-xs text-slate-500">State transitions</div><div className="text-2xl font-semibold">{formatInt(totals.transitions)}</div><div className="text-xs text-amber-700 dark:text-amber-400">{formatInt(totals.retries)} retries</div></Link>
            <Link href={`/cost?${rq}`} className={card}><div className="text-xs text-slate-500">Estimated cost</div><div className="text-2xl font-semibold">{formatDollars(dollars)}</div><div className="text-xs text-slate-500">list price, before free tier</div></Link>
          </div>
          <section className={card}>
            <h2 className="mb-1 text-sm font-semibold">Executions over time by status</h2>
            <StackedBars data={chart} x="t" bucketMs={bucketMs} series={STATUSES.map((s) => ({ key: s, color: STATUS_FILL[s] }))} drill={{ path: "/executions", param: "status" }} />
            <p className="text-xs text-slate-500">Click a bar for those executions.</p>
          </section>
          <div className="grid gap-4 lg:grid-cols-2">
            <section className={card}>
              <h2 className="mb-2 text-sm font-semibold">Top failing states</h2>
              <table className="w-full text-sm" data-testid="top-failing-states">
                <tbody>
                  {failing.map((r) => (
                    <tr key={`${r.stateMachine}/${r.stateName}`} data-row className="border-b border-slate-100 dark:border-slate-800">
                      <td className="py-1"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions?${rq}&stateMachine=${encodeURIComponent(r.stateMachine)}&failedState=${encodeURIComponent(r.stateName)}`}>{r.stateName}</Link> <span className="text-xs text-slate-500">{r.stateMachine}</span></td>
                      <td className="text-right font-medium text-red-600">{formatInt(r.failures)}</td>
                    </tr>
                  ))}
                  {!failing.length && <tr><td className="text-slate-500">No failing states.</td></tr>}
                </tbody>
              </table>
            </section>
            <section className={card}>
              <h2 className="mb-2 text-sm font-semibold">Top errors</h2>
              <table className="w-full text-sm">
                <tbody>
                  {errors.map((r) => (
                    <tr key={r.error} data-row className="border-b border-slate-100 dark:border-slate-800">
                      <td className="py-1"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions?${rq}&error=${encodeURIComponent(r.error)}`}>{r.error}</Link></td>
                      <td className="text-right font-medium">{formatInt(r.n)}</td>
                    </tr>
                  ))}
                  {!errors.length && <tr><td className="text-slate-500">No errors.</td></tr>}
                </tbody>
              </table>
              <p className="mt-2 text-xs"><Link href={`/incidents?${rq}`} className="text-sky-700 dark:text-sky-400">Group failures into incidents →</Link></p>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
