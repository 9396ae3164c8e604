import Link from "next/link";
import { diffRuns, jsonDiff, parsePayload } from "@/lib/analysis/diff";
import { eventDetails, listVisits, lastSuccessBefore } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDuration, formatTime } from "../lib-format";
import { StatusBadge } from "../status-badge";
import { int, type SearchParams, withParams } from "../_components/page-params";

export const dynamic = "force-dynamic";

export default async function ComparePage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const store = await getStore();
  const bId = int(sp.b);
  let aId = int(sp.a);
  if (bId === undefined) return <p className="text-slate-500">Open an execution and choose “Compare with last success”, or pass <code>?a=&lt;id&gt;&amp;b=&lt;id&gt;</code>.</p>;
  const bRow = await store.prisma.execution.findUnique({ where: { id: bId }, select: { id: true, stateMachineId: true, versionId: true, startDate: true } });
  if (!bRow) return <p className="text-slate-500">No execution {bId}.</p>;
  if (aId === undefined) aId = (await lastSuccessBefore(store, { id: bRow.id, stateMachineId: bRow.stateMachineId, versionId: bRow.versionId, startDate: bRow.startDate.getTime() }))?.id;
  if (aId === undefined) return <p className="text-slate-500">No earlier successful execution of this state machine to compare with.</p>;
  const [a, b, va, vb] = await Promise.all([store.prisma.execution.findUnique({ where: { id: aId }, include: { stateMachine: true } }), store.prisma.execution.findUnique({ where: { id: bId }, include: { stateMachine: true } }), listVisits(store, aId), listVisits(store, bId)]);
  if (!a || !b) return <p className="text-slate-500">Execution not found.</p>;
  const diff = diffRuns(va, vb);
  const selectedKey = typeof sp.row === "string" ? sp.row : diff.rows[diff.rootDivergence]?.key;
  const selected = diff.rows.find((r) => r.key === selectedKey) ?? null;
  const ioOf = async (execId: number, v: { enteredEventId: number; exitedEventId: number | null } | null) => {
    if (!v) return { input: undefined, output: undefined };
    const [en, ex] = await Promise.all([eventDetails(store, execId, v.enteredEventId), v.exitedEventId ? eventDetails(store, execId, v.exitedEventId) : Promise.resolve(null)]);
    return { input: parsePayload(en?.input as string | undefined), output: parsePayload((ex?.output as string | undefined) ?? (ex?.cause as string | undefined)) };
  };
  const [ia, ib] = selected ? await Promise.all([ioOf(a.id, selected.a), ioOf(b.id, selected.b)]) : [null, null];
  const inputDiff = ia && ib ? jsonDiff(ia.input, ib.input) : [];
  const outputDiff = ia && ib ? jsonDiff(ia.output, ib.output) : [];
  const kindStyle = { same: "", changed: "bg-amber-50 dark:bg-amber-950/30", "only-a": "bg-slate-100 dark:bg-slate-800/60", "only-b": "bg-red-50 dark:bg-red-950/30" } as const;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Compare executions</h1>
        <form method="get" className="flex items-center gap-1 text-sm">
          <label className="text-xs text-slate-500">A <input name="a" defaultValue={a.id} className="w-20 rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900" /></label>
          <label className="text-xs text-slate-500">B <input name="b" defaultValue={b.id} className="w-20 rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900" /></label>
          <button className="rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-700">compare</button>
          <a href={`/compare?a=${b.id}&b=${a.id}`} className="text-xs text-sky-700 dark:text-sky-400">swap</a>
        </form>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        {[{ label: "A (baseline)", e: a }, { label: "B", e: b }].map(({ label, e }) => (
          <div key={label} className="rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
            <div className="text-xs text-slate-500">{label}</div>
            <div className="flex items-center gap-2"><Link href={`/executions/${e.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">{e.name}</Link><StatusBadge status={e.status} /></div>
            <div className="text-xs text-slate-500">{e.stateMachine.name} · version id {e.versionId ?? "?"} · {formatTime(e.startDate)} · {formatDuration(e.durationMs)} · {e.transitions} transitions · {e.retries} retries</div>
            {e.error && <div className="text-xs text-red-700 dark:text-red-400">{e.error}</div>}
          </div>
        ))}
      </div>
      <p className="text-sm" data-testid="divergence">
        {diff.firstDivergence < 0 ? "The two runs took the same path with the same outcomes." : <>First divergence at row {diff.firstDivergence + 1}: <b>{diff.rows[diff.firstDivergence].key}</b> ({diff.rows[diff.firstDivergence].kind === "only-a" ? "only in A" : diff.rows[diff.firstDivergence].kind === "only-b" ? "only in B" : `${diff.rows[diff.firstDivergence].a?.status} → ${diff.rows[diff.firstDivergence].b?.status}`}).</>}
        {diff.rootDivergence !== diff.firstDivergence && diff.rows[diff.rootDivergence] ? <> It starts inside, at <b>{diff.rows[diff.rootDivergence].key}</b>{diff.rows[diff.rootDivergence].b?.error ? ` (${diff.rows[diff.rootDivergence].b?.error})` : ""}.</> : null}
        {" "}Duration Δ {formatDuration(b.durationMs !== null && a.durationMs !== null ? b.durationMs - a.durationMs : null)} · retries Δ {diff.retryDelta >= 0 ? "+" : ""}{diff.retryDelta}
      </p>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_520px]">
        <table className="w-full text-sm" data-testid="compare-table">
          <thead className="text-left text-xs uppercase text-slate-500"><tr><th className="px-2">#</th><th>State (path)</th><th>A</th><th>B</th><th className="text-right">Duration A → B</th><th className="text-right">Retries Δ</th></tr></thead>
          <tbody>
            {diff.rows.slice(0, 2000).map((r, i) => (
              <tr key={`${r.key}-${i}`} data-row className={`border-b border-slate-100 dark:border-slate-800 ${kindStyle[r.kind]} ${r.key === selectedKey ? "outline outline-2 outline-sky-400" : ""}`}>
                <td className="px-2 text-xs text-slate-500">{i + 1}{i === diff.firstDivergence ? " ◀" : ""}</td>
                <td><Link scroll={false} href={withParams(sp, { row: r.key, a: a.id, b: b.id })} className="hover:underline">{r.key}</Link></td>
                <td>{r.a ? <StatusBadge status={r.a.status} /> : <span className="text-xs text-slate-400">not run</span>}</td>
                <td>{r.b ? <StatusBadge status={r.b.status} /> : <span className="text-xs text-slate-400">not run</span>} {r.b?.error && <span className="text-xs text-red-700 dark:text-red-400">{r.b.error}</span>}</td>
                <td className="text-right text-xs">{formatDuration(r.a?.durationMs)} → {formatDuration(r.b?.durationMs)} {r.durationDeltaMs !== null && <span className={r.durationDeltaMs > 0 ? "text-red-600" : "text-emerald-600"}>({r.durationDeltaMs > 0 ? "+" : ""}{formatDuration(r.durationDeltaMs)})</span>}</td>
                <td className={`text-right text-xs ${r.retryDelta > 0 ? "text-amber-700" : ""}`}>{r.retryDelta ? (r.retryDelta > 0 ? `+${r.retryDelta}` : r.retryDelta) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <aside className="space-y-3 rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900" data-testid="json-diff">
          <h2 className="font-semibold">{selected ? selected.key : "Pick a row"}</h2>
          {selected && [{ title: "Input", changes: inputDiff }, { title: "Output / error", changes: outputDiff }].map(({ title, changes }) => (
            <div key={title}>
              <h3 className="text-xs font-semibold uppercase text-slate-500">{title}: {changes.length ? `${changes.length} differences` : "identical"}</h3>
              <ul className="mt-1 space-y-1 font-mono text-xs">
                {changes.slice(0, 100).map((c) => (
                  <li key={c.path} className="break-all">
                    <span className="font-semibold">{c.path}</span>{" "}
                    {c.kind !== "added" && <span className="bg-red-100 text-red-800 line-through dark:bg-red-900/40 dark:text-red-300">{JSON.stringify(c.before)?.slice(0, 300)}</span>}{" "}
                    {c.kind !== "removed" && <span className="bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300">{JSON.stringify(c.after)?.slice(0, 300)}</span>}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </aside>
      </div>
    </div>
  );
}
