import { notFound } from "next/navigation";
import { MAX_HISTORY_EVENTS } from "@/lib/history/types";
import { getExecution } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDuration, formatTime } from "../../lib-format";
import { StatusBadge } from "../../status-badge";

export const dynamic = "force-dynamic";

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const numeric = Number(id);
  if (!Number.isInteger(numeric)) notFound();
  const data = await getExecution(await getStore(), numeric);
  if (!data) notFound();
  const { execution: ex, visits, events } = data;
  const meter = Math.min(100, (ex.eventCount / MAX_HISTORY_EVENTS) * 100);
  return (
    <div className="space-y-6">
      <section className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">{ex.name}</h1>
          <StatusBadge status={ex.status} />
          <span className="text-sm text-slate-500">{ex.stateMachine.name} · {ex.stateMachine.type}</span>
        </div>
        <p className="break-all font-mono text-xs text-slate-500">{ex.arn}</p>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
          <div><dt className="text-slate-500">Started</dt><dd>{formatTime(ex.startDate)}</dd></div>
          <div><dt className="text-slate-500">Stopped</dt><dd>{formatTime(ex.stopDate)}</dd></div>
          <div><dt className="text-slate-500">Duration</dt><dd>{formatDuration(ex.durationMs)}</dd></div>
          <div><dt className="text-slate-500">Transitions</dt><dd>{ex.transitions} ({ex.retries} retries)</dd></div>
        </dl>
        <div className="max-w-md text-sm">
          <div className="flex justify-between text-slate-500"><span>History events</span><span>{ex.eventCount.toLocaleString("en-US")} / {MAX_HISTORY_EVENTS.toLocaleString("en-US")}</span></div>
          <div className="h-2 rounded bg-slate-200 dark:bg-slate-800"><div className={`h-2 rounded ${meter > 80 ? "bg-red-500" : "bg-sky-500"}`} style={{ width: `${Math.max(meter, 0.5)}%` }} /></div>
        </div>
        {ex.error && (
          <div className="rounded border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950/40">
            <div className="font-medium text-red-800 dark:text-red-300">{ex.error}{ex.failedState ? ` in ${ex.failedState}` : ""}</div>
            {ex.cause && <pre className="mt-1 whitespace-pre-wrap break-all text-xs">{ex.cause}</pre>}
          </div>
        )}
      </section>
      <section>
        <h2 className="mb-2 font-semibold">State visits</h2>
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800"><tr><th className="py-1">#</th><th>State</th><th>Type</th><th>Path</th><th>Status</th><th className="text-right">Attempts</th><th className="text-right">Duration</th><th>Error</th></tr></thead>
          <tbody>
            {visits.map((v) => (
              <tr key={v.seq} className="border-b border-slate-100 dark:border-slate-900">
                <td className="py-1 text-slate-500">{v.seq}</td><td className="font-medium">{v.stateName}</td><td>{v.stateType}</td>
                <td className="text-xs text-slate-500">{v.path}</td><td><StatusBadge status={v.status} /></td>
                <td className="text-right">{v.attempts}</td><td className="text-right">{formatDuration(v.durationMs)}</td>
                <td className="text-xs text-red-700 dark:text-red-400">{v.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2 className="mb-2 font-semibold">Events</h2>
        <table className="w-full text-left font-mono text-xs">
          <thead className="border-b border-slate-200 uppercase text-slate-500 dark:border-slate-800"><tr><th className="py-1">id</th><th>prev</th><th>type</th><th>time</th><th>details</th></tr></thead>
          <tbody>
            {events.slice(0, 2000).map((e) => {
              const details = Object.entries(e).find(([k]) => k.endsWith("EventDetails"))?.[1] ?? e.unknownDetails?.value;
              return (
                <tr key={e.id} className="border-b border-slate-100 align-top dark:border-slate-900">
                  <td className="py-0.5">{e.id}</td><td>{e.previousEventId}</td><td>{e.type}</td>
                  <td className="whitespace-nowrap">{new Date(e.timestamp).toISOString().slice(11, 23)}</td>
                  <td className="max-w-xl truncate">{details ? JSON.stringify(details) : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
