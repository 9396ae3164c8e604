import Link from "next/link";
import { groupIncidents, rootFailure } from "@/lib/analysis/incidents";
import { parseTimeRange, rangeParams } from "@/lib/analysis/time-range";
import { failedExecutionsWithVisits } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatInt, formatTime } from "../lib-format";
import { one, type SearchParams } from "../_components/page-params";
import { TimeRangePicker } from "../_components/time-range-picker";

export const dynamic = "force-dynamic";

export default async function IncidentsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const range = parseTimeRange({ range: one(sp.range), from: one(sp.from), to: one(sp.to) }, Date.now());
  const failed = await failedExecutionsWithVisits(await getStore(), { from: range.from, to: range.to, stateMachine: one(sp.stateMachine) });
  const incidents = groupIncidents(failed.map((e) => {
    const root = rootFailure(e.visits);
    return { executionId: e.id, executionName: e.name, stateMachine: e.stateMachine, stateName: root?.stateName ?? e.failedState ?? "(execution)", error: root?.error ?? e.error, cause: root?.cause ?? e.cause, at: e.startDate };
  }));
  const rq = new URLSearchParams(rangeParams(range)).toString();
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3"><h1 className="text-xl font-semibold">Incidents</h1><TimeRangePicker label={`${range.label} · ${formatInt(failed.length)} failed executions`} /></div>
      <p className="text-sm text-slate-500">Failures grouped by the state where they started, the error, and the cause with ids and numbers masked.</p>
      {incidents.length === 0 ? <p className="rounded border border-dashed border-slate-300 p-8 text-center text-slate-500 dark:border-slate-700">No failures in this range. 🎉</p> : (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="incidents-table">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800"><tr><th className="px-2 py-2">State</th><th>Error</th><th>Cause fingerprint</th><th className="text-right">Count</th><th className="px-2">First seen</th><th>Last seen</th><th>Latest</th></tr></thead>
            <tbody>
              {incidents.map((i) => (
                <tr key={i.key} data-row className="border-b border-slate-100 align-top dark:border-slate-800">
                  <td className="px-2 py-1.5"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions?${rq}&stateMachine=${encodeURIComponent(i.stateMachine)}&failedState=${encodeURIComponent(i.stateName)}&error=${encodeURIComponent(i.error)}`}>{i.stateName}</Link><div className="text-xs text-slate-500">{i.stateMachine}</div></td>
                  <td className="font-medium text-red-700 dark:text-red-400">{i.error}</td>
                  <td className="max-w-md px-1 font-mono text-xs" title={i.exampleCause ?? undefined}>{i.fingerprint || <span className="text-slate-400">(no cause)</span>}</td>
                  <td className="text-right font-semibold">{formatInt(i.count)}</td>
                  <td className="whitespace-nowrap px-2 text-xs">{formatTime(i.firstSeen)}</td>
                  <td className="whitespace-nowrap text-xs">{formatTime(i.lastSeen)}</td>
                  <td className="text-xs">{i.recent.slice(0, 3).map((r) => <div key={r.id}><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions/${r.id}`}>{r.name}</Link></div>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
