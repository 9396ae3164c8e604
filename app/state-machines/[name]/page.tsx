import Link from "next/link";
import { notFound } from "next/navigation";
import { standardCost } from "@/lib/analysis/pricing";
import { heatColor, layoutDefinition, readMachine } from "@/lib/analysis/graph-layout";
import { percentiles } from "@/lib/analysis/stats";
import { parseTimeRange, rangeParams } from "@/lib/analysis/time-range";
import { getStateMachine, searchExecutions, stateStats } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";
import { formatDollars, formatDuration, formatInt, formatPct, formatTime } from "../../lib-format";
import { StatusBadge } from "../../status-badge";
import { int, one, type SearchParams, withParams } from "../../_components/page-params";
import { TimeRangePicker } from "../../_components/time-range-picker";
import { DefinitionGraph } from "../../executions/[id]/graph";

export const dynamic = "force-dynamic";

const METRICS = [
  { key: "failure", label: "Failure rate" },
  { key: "retries", label: "Retries" },
  { key: "p95", label: "p95 duration" },
  { key: "cost", label: "Cost" },
] as const;

export default async function StateMachinePage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: SearchParams }) {
  const [{ name: raw }, sp] = await Promise.all([params, searchParams]);
  const name = decodeURIComponent(raw);
  const store = await getStore();
  const data = await getStateMachine(store, name);
  if (!data) notFound();
  const range = parseTimeRange({ range: one(sp.range), from: one(sp.from), to: one(sp.to) }, Date.now());
  const versionId = int(sp.version);
  const metric = METRICS.find((m) => m.key === one(sp.metric))?.key ?? "failure";
  const version = data.versions.find((v) => v.id === versionId) ?? data.versions[data.versions.length - 1];
  const [stats, recent] = await Promise.all([
    stateStats(store, { stateMachineId: data.machine.id, versionId, from: range.from, to: range.to }),
    searchExecutions(store, { stateMachine: name, versionId, from: range.from, to: range.to, pageSize: 15 }),
  ]);
  const rows = stats.map((s) => {
    const [p95] = percentiles(s.durations, [95]);
    return { ...s, failureRate: s.visits ? s.failed / s.visits : 0, p95: p95 ?? 0, dollars: data.machine.type === "EXPRESS" ? 0 : standardCost(s.transitions, data.machine.region) };
  });
  const value = (r: (typeof rows)[number]) => (metric === "failure" ? r.failureRate : metric === "retries" ? r.retries : metric === "p95" ? r.p95 : r.dollars);
  const caption = (r: (typeof rows)[number]) => (metric === "failure" ? formatPct(r.failureRate) : metric === "retries" ? `${formatInt(r.retries)} retries` : metric === "p95" ? `p95 ${formatDuration(r.p95)}` : formatDollars(r.dollars));
  const max = Math.max(...rows.map(value), 0);
  const heat = Object.fromEntries(rows.map((r) => [r.stateName, { color: heatColor(max ? value(r) / max : 0), caption: caption(r) }]));
  const machine = readMachine(version?.definition);
  const rq = new URLSearchParams(rangeParams(range)).toString();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">{name}</h1>
        <span className="text-xs text-slate-500">{data.machine.type} · {data.machine.arn}</span>
        <TimeRangePicker label={range.label} />
        <span className="ml-auto flex gap-2 text-sm">
          <Link className="text-sky-700 dark:text-sky-400" href={`/executions?${rq}&stateMachine=${encodeURIComponent(name)}`}>All executions →</Link>
          <Link className="text-sky-700 dark:text-sky-400" href={`/heatmaps?${rq}&stateMachine=${encodeURIComponent(name)}`}>Heatmaps →</Link>
        </span>
      </div>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_420px]">
        <section className="space-y-2">
          <div className="flex items-center gap-1 text-sm">
            <span className="text-xs text-slate-500">Heat:</span>
            {METRICS.map((m) => <Link key={m.key} href={withParams(sp, { metric: m.key })} scroll={false} className={`rounded px-2 py-0.5 ${m.key === metric ? "bg-sky-600 text-white" : "border border-slate-300 dark:border-slate-700"}`}>{m.label}</Link>)}
            <span className="ml-3 text-xs text-slate-500">version</span>
            <Link href={withParams(sp, { version: undefined })} scroll={false} className={`rounded px-2 py-0.5 text-xs ${versionId === undefined ? "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900" : "border border-slate-300 dark:border-slate-700"}`} title="Statistics over every version; the graph shows the latest">all</Link>
            {data.versions.map((v) => <Link key={v.id} href={withParams(sp, { version: v.id })} scroll={false} className={`rounded px-2 py-0.5 text-xs ${v.id === versionId ? "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900" : "border border-slate-300 dark:border-slate-700"}`}>v{v.number}</Link>)}
          </div>
          {machine ? <DefinitionGraph layout={layoutDefinition(machine)} overlay={null} selectedState={null} failedState={null} heat={heat} height={680} /> : <p className="rounded border border-dashed p-6 text-sm text-slate-500">No definition stored for this state machine.</p>}
        </section>
        <section className="space-y-3">
          <table className="w-full text-sm" data-testid="state-stats">
            <thead className="text-left text-xs uppercase text-slate-500"><tr><th>State</th><th className="text-right">Visits</th><th className="text-right">Failed</th><th className="text-right">Retries</th><th className="text-right">p95</th><th className="text-right">Cost</th></tr></thead>
            <tbody>
              {rows.sort((a, b) => value(b) - value(a)).map((r) => (
                <tr key={r.stateName} className="border-b border-slate-100 dark:border-slate-800">
                  <td className="py-1"><span className="mr-1 inline-block h-2.5 w-2.5 rounded-sm" style={{ background: heat[r.stateName].color }} />{r.failed ? <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions?${rq}&stateMachine=${encodeURIComponent(name)}&visitState=${encodeURIComponent(r.stateName)}&visitIs=failed`}>{r.stateName}</Link> : r.stateName}</td>
                  <td className="text-right">{formatInt(r.visits)}</td>
                  <td className={`text-right ${r.failed ? "text-red-600" : "text-slate-400"}`}>{r.failed} <span className="text-[10px]">{r.failed ? formatPct(r.failureRate) : ""}</span></td>
                  <td className="text-right">{formatInt(r.retries)}</td>
                  <td className="text-right">{formatDuration(r.p95)}</td>
                  <td className="text-right">{formatDollars(r.dollars)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div>
            <h2 className="mb-1 text-sm font-semibold">Versions seen</h2>
            <ul className="space-y-0.5 text-xs">
              {data.versions.map((v) => <li key={v.id}>v{v.number} <code>{v.hash.slice(0, 10)}</code> · first seen {formatTime(v.firstSeen)} · {formatInt(v.executions)} executions</li>)}
            </ul>
          </div>
        </section>
      </div>
      <section>
        <h2 className="mb-1 text-sm font-semibold">Recent executions</h2>
        <table className="w-full text-sm">
          <tbody>
            {recent.rows.map((r) => (
              <tr key={r.id} data-row className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-1"><Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions/${r.id}`}>{r.name}</Link></td>
                <td><StatusBadge status={r.status} /></td>
                <td className="text-xs text-red-700 dark:text-red-400">{r.error}</td>
                <td className="text-xs">{formatTime(r.startDate)}</td>
                <td className="text-right">{formatDuration(r.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
