import Link from "next/link";
import type { FlowStep, InspectorData } from "@/lib/analysis/inspector";
import { gateJson } from "@/lib/analysis/json-gate";
import { formatDuration, formatTimeMs } from "../../lib-format";
import { StatusBadge } from "../../status-badge";
import { JsonView } from "../../_components/json-view";

const PROVENANCE_STYLE: Record<FlowStep["provenance"], string> = {
  recorded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300",
  computed: "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-300",
  unknown: "bg-slate-200 text-slate-600 dark:bg-slate-800 dark:text-slate-400",
};

type Data = InspectorData & { flow?: FlowStep[]; divergences?: string[] };

export function Inspector({ data, executionId, closeHref, modelHref }: { data: Data; executionId: number; closeHref: string; modelHref?: string | null }) {
  const payloadHref = (eventId: number, field: string) => `/api/executions/${executionId}/payload?event=${eventId}&field=${field}`;
  return (
    <aside id="inspector" className="space-y-3 rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900" data-testid="inspector">
      <div className="flex items-start gap-2">
        <div className="min-w-0">
          <h2 className="truncate text-base font-semibold" data-testid="inspector-state">{data.stateName}</h2>
          <p className="text-xs text-slate-500">{data.stateType}{data.path ? ` · ${data.path}` : ""} · visit #{data.seq}</p>
        </div>
        <StatusBadge status={data.status} />
        <Link href={closeHref} scroll={false} className="ml-auto text-xs text-slate-500 hover:text-slate-900 dark:hover:text-white" aria-label="Close inspector">✕</Link>
      </div>
      <dl className="grid grid-cols-3 gap-2 text-xs">
        <div><dt className="text-slate-500">Entered</dt><dd>{formatTimeMs(data.enteredAt).slice(11)}</dd></div>
        <div><dt className="text-slate-500">Duration</dt><dd>{formatDuration(data.exitedAt !== null ? data.exitedAt - data.enteredAt : null)}</dd></div>
        <div><dt className="text-slate-500">Next state</dt><dd>{data.nextState ?? "—"}</dd></div>
      </dl>
      {data.error && (
        <div className="rounded border border-red-200 bg-red-50 p-2 dark:border-red-900 dark:bg-red-950/40" data-testid="inspector-error">
          <div className="font-medium text-red-800 dark:text-red-300">{data.error}</div>
          {data.cause && <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap break-all font-mono text-xs">{data.cause.slice(0, 4000)}</pre>}
        </div>
      )}
      {(data.tries.length > 1 || data.retryStory.length > 0 || data.catchStory) && (
        <section>
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Retry / Catch</h3>
          {data.tries.length > 0 && (
            <table className="mb-1 w-full text-xs">
              <thead className="text-left text-slate-500"><tr><th>try</th><th>waited</th><th>ran</th><th>outcome</th></tr></thead>
              <tbody>
                {data.tries.map((t) => (
                  <tr key={t.n}>
                    <td>{t.n}</td>
                    <td className="text-slate-500">{t.waitBeforeMs !== null ? formatDuration(t.waitBeforeMs) : "—"}</td>
                    <td>{formatDuration(t.end !== null ? t.end - t.start : null)}</td>
                    <td className={t.outcome === "FAILED" ? "text-red-700 dark:text-red-400" : ""}>{t.outcome === "FAILED" ? t.error : t.outcome}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ul className="list-disc space-y-0.5 pl-4 text-xs">
            {data.retryStory.map((s, i) => <li key={i}>{s}</li>)}
            {data.catchStory && <li className="text-orange-800 dark:text-orange-300">{data.catchStory}</li>}
          </ul>
        </section>
      )}
      {data.choice && (
        <section data-testid="choice-explanation">
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Choice rules</h3>
          <ol className="space-y-0.5 text-xs">
            {data.choice.map((r) => (
              <li key={String(r.index)} className={r.taken ? "font-medium text-sky-800 dark:text-sky-300" : "text-slate-500"}>
                {r.taken ? "✔ " : "· "}{r.index === "Default" ? "Default" : `Rule ${r.index}`}: <code>{r.text}</code>{r.read !== undefined ? <> (read {r.read})</> : null}{r.reason ? <span className="text-slate-500"> — {r.reason}</span> : null}{r.next ? <> → {r.next}</> : null}
              </li>
            ))}
          </ol>
        </section>
      )}
      {data.dataFlowFields.length > 0 && (
        <section>
          <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Data flow in the definition</h3>
          <dl className="grid grid-cols-[7rem_1fr] gap-x-2 font-mono text-[11px]">
            {data.dataFlowFields.map((f) => (
              <div key={f.field} className="contents"><dt className="text-slate-500">{f.field}</dt><dd className="break-all">{f.value}</dd></div>
            ))}
          </dl>
        </section>
      )}
      {data.divergences && data.divergences.length > 0 && (
        <section className="rounded border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200" data-testid="inspector-divergences">
          <h3 className="mb-0.5 font-semibold">History and definition disagree</h3>
          <ul className="list-disc pl-4">{data.divergences.slice(0, 8).map((d, i) => <li key={i}>{d}</li>)}</ul>
        </section>
      )}
      {data.flow && (
        <section className="space-y-2" data-testid="data-flow">
          <h3 className="text-xs font-semibold uppercase text-slate-500">Data flow, step by step</h3>
          {data.flow.map((f, i) => (
            <div key={`${f.step}-${i}`}>
              <div className="mb-0.5 flex items-center gap-1 text-xs">
                <span className="font-medium">{i + 1}. {f.step}</span>
                <span className={`rounded px-1 text-[10px] ${PROVENANCE_STYLE[f.provenance]}`} title={f.provenance === "computed" ? "computed from the definition by lib/reconstruct" : f.provenance === "recorded" ? "as recorded in the history" : "not known from the history"}>{f.provenance}</span>
                {f.note && <span className="text-[11px] text-slate-500">{f.note}</span>}
              </div>
              {f.text !== undefined && <JsonView gated={gateJson(f.text)} maxHeight="12rem" />}
            </div>
          ))}
        </section>
      )}
      {modelHref && <p className="text-xs"><Link href={modelHref} scroll={false} className="text-sky-700 underline dark:text-sky-400">Reconstruct the data flow from the definition</Link> <span className="text-slate-500">(large run: about a second)</span></p>}
      <details open={!data.flow} className="space-y-2">
        <summary className="cursor-pointer text-xs font-semibold uppercase text-slate-500">{data.flow ? `Payloads in the history (${data.steps.length})` : "Data flow, as recorded"}</summary>
        {data.steps.length === 0 && <p className="text-xs text-slate-500">No payloads recorded for this visit.</p>}
        {data.steps.map((s, i) => (
          <JsonView key={`${s.eventId}-${s.field}-${i}`} title={`${s.label} · event ${s.eventId}`} gated={gateJson(s.text)} downloadHref={payloadHref(s.eventId, s.field)} maxHeight="14rem" />
        ))}
      </details>
      <section>
        <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Events of this state</h3>
        <table className="w-full font-mono text-[11px]" data-testid="inspector-events">
          <tbody>
            {data.events.map((e) => (
              <tr key={e.id} className={e.error ? "text-red-700 dark:text-red-400" : ""}>
                <td className="pr-2 text-slate-500">{e.id}</td><td>{e.type}</td><td className="text-right text-slate-500">+{formatDuration(e.timestamp - data.enteredAt)}</td><td className="pl-2">{e.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p className="text-xs text-slate-500">
        {data.eventIds.length} events —{" "}
        <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions/${executionId}?tab=events&estate=${encodeURIComponent(data.stateName)}`}>show in the event table</Link>
      </p>
    </aside>
  );
}
