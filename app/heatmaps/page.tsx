import Link from "next/link";
import { HEAT_METRICS, type HeatMetric, stateTimeMatrix, statusGrid } from "@/lib/analysis/heatmap";
import { bucketSizeFor, bucketStarts, parseTimeRange } from "@/lib/analysis/time-range";
import { executionFacets, gridData, machineUsage, stateBucketCounts } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDuration, formatTime, STATUS_FILL } from "../lib-format";
import { one, type SearchParams, withParams } from "../_components/page-params";
import { TimeRangePicker } from "../_components/time-range-picker";

export const dynamic = "force-dynamic";

const VISIT_IS: Record<HeatMetric, string> = { failures: "failed", retries: "retried", timeouts: "timeout" };

export default async function HeatmapsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const store = await getStore();
  const range = parseTimeRange({ range: one(sp.range), from: one(sp.from), to: one(sp.to) }, Date.now());
  const metric = (HEAT_METRICS as readonly string[]).includes(one(sp.metric) ?? "") ? (one(sp.metric) as HeatMetric) : "failures";
  const [facets, usage] = await Promise.all([executionFacets(store), machineUsage(store, range)]);
  const stateMachine = one(sp.stateMachine);
  // Without a choice, the grid shows the state machine with the most failures (then the busiest).
  const gridMachine = stateMachine ?? [...usage].sort((a, b) => b.failed - a.failed || b.executions - a.executions)[0]?.name;
  const bucketMs = bucketSizeFor(range.to - range.from, 48);
  const buckets = bucketStarts(range.from, range.to, bucketMs);
  const [counts, grid] = await Promise.all([stateBucketCounts(store, { from: range.from, to: range.to, bucketMs, stateMachine }), gridMachine ? gridData(store, { stateMachine: gridMachine, from: range.from, to: range.to, limit: 80 }) : Promise.resolve(null)]);
  const m = stateTimeMatrix(counts, buckets, metric);
  const g = grid ? statusGrid(grid.executions.map((e) => e.id), grid.visits) : null;
  const cellHref = (state: string, b: number) => `/executions?range=custom&from=${new Date(b).toISOString()}&to=${new Date(b + bucketMs).toISOString()}&visitState=${encodeURIComponent(state)}&visitIs=${VISIT_IS[metric]}${stateMachine ? `&stateMachine=${encodeURIComponent(stateMachine)}` : ""}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Heatmaps</h1>
        <TimeRangePicker label={`${range.label} · ${formatDuration(bucketMs)} buckets`} />
        <form method="get" className="flex items-center gap-2 text-sm">
          {Object.entries(sp).filter(([k]) => k !== "stateMachine").map(([k, v]) => <input key={k} type="hidden" name={k} value={String(v)} />)}
          <select name="stateMachine" defaultValue={stateMachine ?? ""} className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" aria-label="State machine">
            <option value="">all state machines</option>
            {facets.stateMachines.map((s) => <option key={s}>{s}</option>)}
          </select>
          <button className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700">Apply</button>
        </form>
        <span className="flex gap-1 text-sm">
          {HEAT_METRICS.map((k) => <Link key={k} href={withParams(sp, { metric: k })} className={`rounded px-2 py-0.5 ${k === metric ? "bg-sky-600 text-white" : "border border-slate-300 dark:border-slate-700"}`}>{k}</Link>)}
        </span>
      </div>
      <section className="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="mb-2 text-sm font-semibold">States × time: {metric} <span className="font-normal text-slate-500">(click a cell for the matching executions)</span></h2>
        {m.states.length === 0 ? <p className="text-sm text-slate-500">No {metric} in this range.</p> : (
          <div className="overflow-x-auto" data-testid="state-time-heatmap">
            <div className="grid gap-px text-[10px]" style={{ gridTemplateColumns: `12rem repeat(${buckets.length}, minmax(14px, 1fr))` }}>
              {m.states.map((s, si) => (
                <div key={s} className="contents">
                  <div className="truncate pr-2 text-xs leading-5">{s}</div>
                  {m.values[si].map((v, bi) => v ? (
                    <Link key={bi} href={cellHref(s, buckets[bi])} data-testid="heat-cell" className="h-5 rounded-sm hover:outline hover:outline-2 hover:outline-sky-500" style={{ background: `rgba(239, 68, 68, ${0.2 + 0.8 * (v / Math.max(1, m.max))})` }} title={`${s} · ${formatTime(buckets[bi])} · ${v} ${metric}`} />
                  ) : <div key={bi} className="h-5 rounded-sm bg-slate-100 dark:bg-slate-800" title={`${s} · ${formatTime(buckets[bi])} · 0`} />)}
                </div>
              ))}
              <div />
              {buckets.map((b, i) => <div key={b} className="h-4 overflow-visible whitespace-nowrap text-slate-500">{i % Math.ceil(buckets.length / 8) === 0 ? new Date(b).toISOString().slice(5, bucketMs >= 86_400_000 ? 10 : 16).replace("T", " ") : ""}</div>)}
            </div>
          </div>
        )}
      </section>
      {grid && g && (
        <section className="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-2 text-sm font-semibold">{gridMachine}: executions × states <span className="font-normal text-slate-500">(latest {grid.executions.length}, oldest left; click a cell to open that state)</span></h2>
          <div className="mb-2 flex gap-3 text-xs text-slate-500">{["SUCCEEDED", "RETRIED", "CAUGHT", "FAILED", "ABORTED", "RUNNING"].map((s) => <span key={s} className="flex items-center gap-1"><i className="inline-block h-3 w-3 rounded-sm" style={{ background: STATUS_FILL[s] }} />{s.toLowerCase()}</span>)}</div>
          <div className="overflow-x-auto" data-testid="status-grid">
            <div className="grid gap-px" style={{ gridTemplateColumns: `12rem repeat(${grid.executions.length}, 14px)` }}>
              <div className="truncate pr-2 text-xs italic leading-3 text-slate-500">execution status</div>
              {grid.executions.map((e) => <Link key={e.id} href={`/executions/${e.id}`} className="h-3 rounded-sm" style={{ background: STATUS_FILL[e.status] ?? "#94a3b8" }} title={`${e.name} · ${e.status} · ${formatTime(e.startDate)}`} />)}
              {g.states.map((s, si) => (
                <div key={s} className="contents">
                  <div className="truncate pr-2 text-xs leading-[14px]">{s}</div>
                  {g.cells[si].map((c, ci) => c ? <Link key={ci} href={`/executions/${grid.executions[ci].id}`} className="h-3.5 rounded-sm hover:outline hover:outline-2 hover:outline-sky-500" style={{ background: STATUS_FILL[c] }} title={`${grid.executions[ci].name} · ${s}: ${c}`} /> : <div key={ci} className="h-3.5 rounded-sm bg-slate-100 dark:bg-slate-800" />)}
                </div>
              ))}
            </div>
          </div>
        </section>
      )}
    </div>
  );
}
