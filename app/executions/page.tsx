import Link from "next/link";
import { EXECUTION_STATUSES, listExecutions, listStateMachineNames } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDuration, formatTime } from "../lib-format";
import { StatusBadge } from "../status-badge";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function ExecutionsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const store = await getStore();
  const status = one(sp.status);
  const stateMachine = one(sp.stateMachine);
  const page = Number(one(sp.page) ?? 1) || 1;
  const [{ rows, total, pageSize }, machines] = await Promise.all([
    listExecutions(store, { status, stateMachine, page, from: one(sp.from) ? new Date(one(sp.from)!) : undefined, to: one(sp.to) ? new Date(one(sp.to)!) : undefined }),
    listStateMachineNames(store),
  ]);
  const qs = (patch: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ status, stateMachine, page: String(page), ...patch })) if (v) p.set(k, v);
    return `?${p}`;
  };
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Executions</h1>
      <form className="flex flex-wrap items-end gap-3 text-sm" method="get">
        <label className="flex flex-col gap-1">
          Status
          <select name="status" defaultValue={status ?? ""} className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900">
            <option value="">any</option>
            {EXECUTION_STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          State machine
          <select name="stateMachine" defaultValue={stateMachine ?? ""} className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900">
            <option value="">any</option>
            {machines.map((m) => <option key={m}>{m}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">From <input type="date" name="from" defaultValue={one(sp.from)} className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" /></label>
        <label className="flex flex-col gap-1">To <input type="date" name="to" defaultValue={one(sp.to)} className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900" /></label>
        <button className="rounded bg-slate-900 px-3 py-1.5 text-white dark:bg-slate-100 dark:text-slate-900">Filter</button>
      </form>
      <p className="text-sm text-slate-500">{total.toLocaleString("en-US")} executions</p>
      {rows.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-8 text-center text-slate-500">No executions match. Import histories with <code>bin/statelens import</code> or on the Import page.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-500 dark:border-slate-800">
            <tr><th className="py-2">Name</th><th>State machine</th><th>Status</th><th>Failed state / error</th><th>Started</th><th className="text-right">Duration</th><th className="text-right">Events</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b border-slate-100 hover:bg-slate-100 dark:border-slate-900 dark:hover:bg-slate-900">
                <td className="py-1.5"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions/${r.id}`}>{r.name}</Link></td>
                <td>{r.stateMachine.name}</td>
                <td><StatusBadge status={r.status} /></td>
                <td className="text-xs">{r.failedState ? <><span className="font-medium">{r.failedState}</span> <span className="text-red-700 dark:text-red-400">{r.error}</span></> : r.error ?? ""}</td>
                <td className="whitespace-nowrap text-xs">{formatTime(r.startDate)}</td>
                <td className="text-right">{formatDuration(r.durationMs)}</td>
                <td className="text-right">{r.eventCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="flex gap-3 text-sm">
        {page > 1 && <Link href={qs({ page: String(page - 1) })}>← Newer</Link>}
        {page * pageSize < total && <Link href={qs({ page: String(page + 1) })}>Older →</Link>}
      </div>
    </div>
  );
}
