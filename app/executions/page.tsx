import Link from "next/link";
import { EXECUTION_STATUSES, executionFacets, searchExecutions } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDuration, formatInt, formatTime } from "../lib-format";
import { StatusBadge } from "../status-badge";
import { type SearchParams, withParams } from "../_components/page-params";
import { TimeRangePicker } from "../_components/time-range-picker";
import { executionFilterFrom } from "./search-params";

export const dynamic = "force-dynamic";

const COLUMNS: Array<{ key: string; label: string; sort?: string; right?: boolean }> = [
  { key: "name", label: "Execution", sort: "name" },
  { key: "sm", label: "State machine" },
  { key: "status", label: "Status", sort: "status" },
  { key: "failed", label: "Failed state · error" },
  { key: "start", label: "Started", sort: "startDate" },
  { key: "dur", label: "Duration", sort: "durationMs", right: true },
  { key: "tr", label: "Transitions", sort: "transitions", right: true },
  { key: "rt", label: "Retries", sort: "retries", right: true },
  { key: "ev", label: "Events", sort: "eventCount", right: true },
];

export default async function ExecutionsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const store = await getStore();
  const f = executionFilterFrom(sp, Date.now());
  const [{ rows, total, page, pageSize }, facets] = await Promise.all([searchExecutions(store, f), executionFacets(store)]);
  const exportQs = withParams(sp, { page: undefined });
  const input = "rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900";
  const active = Object.entries({ status: f.status?.join(","), stateMachine: f.stateMachine, error: f.error, cause: f.cause, failedState: f.failedState, q: f.q, visitState: f.visitState ? `${f.visitState}${f.visitIs ? ` (${f.visitIs})` : ""}` : undefined, parentArn: f.parentArn }).filter(([, v]) => v);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Executions</h1>
        <TimeRangePicker label={f.rangeLabel} defaultKey="90d" />
      </div>
      <form className="flex flex-wrap items-end gap-2 text-sm" method="get" data-testid="execution-filters">
        {sp.range && <input type="hidden" name="range" value={String(sp.range)} />}
        {sp.from && <input type="hidden" name="from" value={String(sp.from)} />}
        {sp.to && <input type="hidden" name="to" value={String(sp.to)} />}
        {f.visitState && <input type="hidden" name="visitState" value={f.visitState} />}
        {f.visitIs && <input type="hidden" name="visitIs" value={f.visitIs} />}
        {f.parentArn && <input type="hidden" name="parentArn" value={f.parentArn} />}
        <label className="flex flex-col gap-0.5 text-xs text-slate-500">Search input/output
          <input data-search name="q" defaultValue={f.q} placeholder='$.orderId = "A-17"  or text   ( / )' className={`${input} w-72 font-mono text-sm text-slate-900 dark:text-slate-100`} />
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-slate-500">Status
          <select name="status" defaultValue={f.status?.[0] ?? ""} className={input}>
            <option value="">any</option>
            {EXECUTION_STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-slate-500">State machine
          <select name="stateMachine" defaultValue={f.stateMachine ?? ""} className={input}>
            <option value="">any</option>
            {facets.stateMachines.map((m) => <option key={m}>{m}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-slate-500">Version
          <select name="version" defaultValue={f.versionId ?? ""} className={input}>
            <option value="">any</option>
            {facets.versions.filter((v) => !f.stateMachine || v.stateMachine === f.stateMachine).map((v) => <option key={v.id} value={v.id}>{v.label}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-slate-500">Error
          <select name="error" defaultValue={f.error ?? ""} className={input}>
            <option value="">any</option>
            {facets.errors.map((e) => <option key={e}>{e}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-slate-500">Failed state
          <select name="failedState" defaultValue={f.failedState ?? ""} className={input}>
            <option value="">any</option>
            {facets.failedStates.map((e) => <option key={e}>{e}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-slate-500">Cause contains
          <input name="cause" defaultValue={f.cause} className={`${input} w-40`} />
        </label>
        <input type="hidden" name="sort" value={f.sort} />
        <input type="hidden" name="dir" value={f.dir} />
        <button className="rounded bg-slate-900 px-3 py-1.5 text-white dark:bg-slate-100 dark:text-slate-900">Apply</button>
        <Link href="/executions" className="px-1 py-1.5 text-xs text-sky-700 dark:text-sky-400">reset</Link>
        <span className="ml-auto flex gap-2 text-xs">
          <a className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700" href={`/api/executions/export${exportQs}${exportQs ? "&" : "?"}format=csv`} data-testid="export-csv">Export CSV</a>
          <a className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700" href={`/api/executions/export${exportQs}${exportQs ? "&" : "?"}format=json`}>Export JSON</a>
        </span>
      </form>
      <p className="text-sm text-slate-500" data-testid="result-count">
        {formatInt(total)} executions{active.length ? " · " : ""}
        {active.map(([k, v]) => <span key={k} className="mr-1 rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">{k}: {v}</span>)}
      </p>
      {rows.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-8 text-center text-slate-500 dark:border-slate-700">No executions match these filters. Widen the time range, clear a filter, or import histories on the <Link className="text-sky-700 underline" href="/upload">Import</Link> page.</p>
      ) : (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="executions-table">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} className={`px-2 py-2 ${c.right ? "text-right" : ""}`}>
                    {c.sort ? <Link href={withParams(sp, { sort: c.sort, dir: f.sort === c.sort && f.dir === "desc" ? "asc" : "desc", page: undefined })} className="hover:text-slate-900 dark:hover:text-white">{c.label}{f.sort === c.sort ? (f.dir === "desc" ? " ↓" : " ↑") : ""}</Link> : c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-row className="border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50">
                  <td className="px-2 py-1.5"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions/${r.id}`}>{r.name}</Link></td>
                  <td className="px-2">{r.stateMachine}{r.stateMachineType === "EXPRESS" ? <span className="ml-1 text-[10px] text-slate-500">EXPRESS</span> : null}</td>
                  <td className="px-2"><StatusBadge status={r.status} /></td>
                  <td className="max-w-xs truncate px-2 text-xs" title={r.cause ?? undefined}>{r.rootState ? <span className="font-medium">{r.rootState}</span> : r.failedState ? <span className="font-medium">{r.failedState}</span> : null}{r.rootState && r.failedState && r.rootState !== r.failedState ? <span className="text-slate-500"> → {r.failedState}</span> : null} <span className="text-red-700 dark:text-red-400">{r.error}</span></td>
                  <td className="whitespace-nowrap px-2 text-xs">{formatTime(r.startDate)}</td>
                  <td className="px-2 text-right">{formatDuration(r.durationMs)}</td>
                  <td className="px-2 text-right">{formatInt(r.transitions)}</td>
                  <td className={`px-2 text-right ${r.retries ? "text-amber-700 dark:text-amber-400" : "text-slate-400"}`}>{r.retries}</td>
                  <td className="px-2 text-right">{formatInt(r.eventCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex items-center gap-3 text-sm">
        {page > 1 && <Link href={withParams(sp, { page: page - 1 })} className="text-sky-700 dark:text-sky-400">← Previous</Link>}
        <span className="text-slate-500">page {page} of {Math.max(1, Math.ceil(total / pageSize))}</span>
        {page * pageSize < total && <Link href={withParams(sp, { page: page + 1 })} className="text-sky-700 dark:text-sky-400" data-testid="next-page">Next →</Link>}
        <span className="text-xs text-slate-500">j/k to move, Enter to open</span>
      </div>
    </div>
  );
}
