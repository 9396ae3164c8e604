import { machineCost, projectMonth, projectedStandardBill } from "@/lib/analysis/cost";
import { PRICE_SOURCE, STANDARD_FREE_TRANSITIONS_PER_MONTH, standardCost } from "@/lib/analysis/pricing";
import { bucketSeries, parseTimeRange } from "@/lib/analysis/time-range";
import { machineUsage, transitionsByState, usageByDay } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDollars, formatDuration, formatInt, formatPct } from "../lib-format";
import { StackedBars } from "../_components/charts";
import { one, type SearchParams } from "../_components/page-params";
import { TimeRangePicker } from "../_components/time-range-picker";

export const dynamic = "force-dynamic";

const PALETTE = ["#0284c7", "#f97316", "#10b981", "#8b5cf6", "#ef4444", "#eab308", "#14b8a6", "#64748b"];

export default async function CostPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const store = await getStore();
  const range = parseTimeRange({ range: one(sp.range), from: one(sp.from), to: one(sp.to) }, Date.now());
  const windowMs = range.to - range.from;
  const [usage, byState, byDay] = await Promise.all([machineUsage(store, range), transitionsByState(store, range), usageByDay(store, range)]);
  const costs = usage.filter((u) => u.executions > 0).map((u) => machineCost(u, u.region)).sort((a, b) => b.dollars - a.dollars);
  const total = costs.reduce((s, c) => s + c.dollars, 0);
  const standardTransitions = costs.filter((c) => c.type === "STANDARD").reduce((s, c) => s + c.transitions, 0);
  const machines = [...new Set(byDay.map((d) => d.stateMachine))];
  const days = bucketSeries(byDay.map((d) => ({ bucket: d.day, series: d.stateMachine, value: machineCost({ name: d.stateMachine, type: d.type, executions: d.executions, transitions: d.transitions, retries: d.retries, billedDurationMs: d.billedDurationMs, durationMs: 0 }).dollars })), []);
  const card = "rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3"><h1 className="text-xl font-semibold">Cost</h1><TimeRangePicker label={range.label} /></div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <div className={card}><div className="text-xs text-slate-500">Estimated cost in range</div><div className="text-2xl font-semibold" data-testid="cost-total">{formatDollars(total)}</div></div>
        <div className={card}><div className="text-xs text-slate-500">30-day projection</div><div className="text-2xl font-semibold">{formatDollars(projectMonth(total, windowMs))}</div></div>
        <div className={card}><div className="text-xs text-slate-500">Standard bill, projected month, after {formatInt(STANDARD_FREE_TRANSITIONS_PER_MONTH)} free</div><div className="text-2xl font-semibold">{formatDollars(projectedStandardBill(standardTransitions, windowMs))}</div></div>
        <div className={card}><div className="text-xs text-slate-500">Retry share (Standard $)</div><div className="text-2xl font-semibold text-amber-700 dark:text-amber-400">{formatPct(total ? costs.reduce((s, c) => s + c.retryDollars, 0) / Math.max(total, 1e-12) : 0)}</div></div>
      </div>
      <section className={card}>
        <h2 className="mb-2 text-sm font-semibold">Per state machine</h2>
        <table className="w-full text-sm" data-testid="cost-machines">
          <thead className="text-left text-xs uppercase text-slate-500"><tr><th>State machine</th><th>Type</th><th className="text-right">Executions</th><th className="text-right">Transitions</th><th className="text-right">Retries (share)</th><th className="text-right">Requests · GB-s</th><th className="text-right">Cost</th><th className="text-right">30-day</th><th className="text-right">As the other type</th></tr></thead>
          <tbody>
            {costs.map((c) => (
              <tr key={c.name} data-row data-testid={`cost-row-${c.name}`} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-1 font-medium">{c.name}</td><td className="text-xs">{c.type}</td>
                <td className="text-right">{formatInt(c.executions)}</td>
                <td className="text-right">{formatInt(c.transitions)}</td>
                <td className="text-right text-amber-700 dark:text-amber-400">{formatInt(c.retries)} ({formatPct(c.transitions ? c.retries / c.transitions : 0)})</td>
                <td className="text-right text-xs">{c.type === "EXPRESS" ? `${formatInt(c.executions)} · ${c.gbSeconds.toFixed(2)} (billed ${formatDuration(c.billedDurationMs)})` : "—"}</td>
                <td className="text-right font-semibold" data-testid="cost-dollars">{formatDollars(c.dollars)}</td>
                <td className="text-right">{formatDollars(projectMonth(c.dollars, windowMs))}</td>
                <td className={`text-right text-xs ${c.whatIf.dollars < c.dollars ? "text-emerald-700 dark:text-emerald-400" : "text-slate-500"}`}>{c.whatIf.type}: {formatDollars(c.whatIf.dollars)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-xs text-slate-500">Express what-if assumes 64 MB billed memory and each execution's duration rounded up to 100 ms; Standard what-if bills every state entered plus each retry.</p>
      </section>
      <section className={card}>
        <h2 className="mb-1 text-sm font-semibold">Per day</h2>
        <StackedBars data={days} x="t" bucketMs={86_400_000} series={machines.map((m, i) => ({ key: m, color: PALETTE[i % PALETTE.length] }))} valueFormat="dollars" height={220} />
      </section>
      <section className={card}>
        <h2 className="mb-2 text-sm font-semibold">Per state (Standard)</h2>
        <table className="w-full text-sm" data-testid="cost-states">
          <thead className="text-left text-xs uppercase text-slate-500"><tr><th>State</th><th>State machine</th><th className="text-right">Visits</th><th className="text-right">Retries</th><th className="text-right">Transitions</th><th className="text-right">Cost</th></tr></thead>
          <tbody>
            {byState.filter((s) => s.type === "STANDARD").slice(0, 30).map((s) => (
              <tr key={`${s.stateMachine}/${s.stateName}`} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-1">{s.stateName}</td><td className="text-xs text-slate-500">{s.stateMachine}</td>
                <td className="text-right">{formatInt(s.visits)}</td><td className="text-right text-amber-700 dark:text-amber-400">{formatInt(s.retries)}</td>
                <td className="text-right">{formatInt(s.visits + s.retries)}</td><td className="text-right">{formatDollars(standardCost(s.visits + s.retries))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p className="text-xs text-slate-500">Prices: {PRICE_SOURCE.note} Source: <a className="underline" href={PRICE_SOURCE.url}>{PRICE_SOURCE.url}</a>, read {PRICE_SOURCE.read}. Estimates from recorded histories; the AWS bill is authoritative.</p>
    </div>
  );
}
