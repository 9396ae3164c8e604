"use client";
// The raw history: every event, filtered by type/state/text (kept in the URL as etype, estate,
// eq), virtualized, a row expands to its full details (gated).
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import type { EventRow } from "@/lib/analysis/events";
import { formatTimeMs } from "../../lib-format";
import { JsonView } from "../../_components/json-view";
import type { GatedJson } from "@/lib/analysis/json-gate";

const ROW_H = 26;
const VIEW_H = 600;

export function EventsTable({ executionId, total }: { executionId: number; total: number }) {
  const sp = useSearchParams();
  const pathname = usePathname();
  const [rows, setRows] = useState<EventRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState({ type: sp.get("etype") ?? "", state: sp.get("estate") ?? "", text: sp.get("eq") ?? "" });
  const [scrollTop, setScrollTop] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const [details, setDetails] = useState<GatedJson | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    fetch(`/api/executions/${executionId}/events`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((d: { rows: EventRow[] }) => live && setRows(d.rows))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [executionId]);

  useEffect(() => {
    const next = new URLSearchParams(sp.toString());
    for (const [k, v] of [["etype", filter.type], ["estate", filter.state], ["eq", filter.text]] as const) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    window.history.replaceState(null, "", `${pathname}?${next}`);
  }, [filter, pathname, sp]);

  useEffect(() => {
    if (open === null) return setDetails(null);
    let live = true;
    fetch(`/api/executions/${executionId}/payload?event=${open}&gated=1`).then((r) => r.json()).then((g: GatedJson | null) => live && setDetails(g)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [open, executionId]);

  const types = useMemo(() => [...new Set((rows ?? []).map((r) => r.type))].sort(), [rows]);
  const states = useMemo(() => [...new Set((rows ?? []).map((r) => r.state).filter(Boolean))].sort(), [rows]);
  const shown = useMemo(() => {
    const text = filter.text.toLowerCase();
    return (rows ?? []).filter((r) => (!filter.type || r.type === filter.type) && (!filter.state || r.state === filter.state) && (!text || r.summary.toLowerCase().includes(text) || r.type.toLowerCase().includes(text) || String(r.id) === text));
  }, [rows, filter]);
  const t0 = rows?.[0]?.timestamp ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - 10);
  const last = Math.min(shown.length, Math.ceil((scrollTop + VIEW_H) / ROW_H) + 10);
  const input = "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

  return (
    <div className="space-y-2" data-testid="events-table">
      <div className="flex flex-wrap items-center gap-2">
        <select aria-label="Event type" className={input} value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value })}>
          <option value="">all types</option>
          {types.map((t) => <option key={t}>{t}</option>)}
        </select>
        <select aria-label="State" className={input} value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value })}>
          <option value="">all states</option>
          {states.map((s) => <option key={s}>{s}</option>)}
        </select>
        <input data-search aria-label="Filter events" placeholder="text or event id  ( / )" className={`${input} w-64`} value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        <button type="button" className="text-xs text-sky-700 dark:text-sky-400" onClick={() => setFilter({ type: "", state: "", text: "" })}>clear</button>
        <span className="text-xs text-slate-500">{rows ? `${shown.length.toLocaleString("en-US")} of ${rows.length.toLocaleString("en-US")} events` : error ? `could not load events: ${error}` : `loading ${total.toLocaleString("en-US")} events…`}</span>
      </div>
      <div className="grid grid-cols-[4rem_4rem_14rem_9rem_10rem_1fr] border-b border-slate-200 px-2 text-xs font-medium uppercase text-slate-500 dark:border-slate-800">
        <span>id</span><span>prev</span><span>type</span><span>time (+ms)</span><span>state</span><span>details</span>
      </div>
      <div ref={scroller} className="relative overflow-auto rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" style={{ height: Math.min(VIEW_H, Math.max(1, shown.length) * ROW_H + 4) }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: shown.length * ROW_H, position: "relative" }}>
          {shown.slice(first, last).map((r, k) => (
            <div
              key={r.id}
              data-row
              onClick={() => setOpen(open === r.id ? null : r.id)}
              className={`absolute left-0 right-0 grid cursor-pointer grid-cols-[4rem_4rem_14rem_9rem_10rem_1fr] items-center px-2 font-mono text-xs hover:bg-slate-50 dark:hover:bg-slate-800/60 ${r.failed ? "text-red-700 dark:text-red-400" : ""} ${open === r.id ? "bg-sky-50 dark:bg-sky-950/50" : ""}`}
              style={{ top: (first + k) * ROW_H, height: ROW_H }}
              title={formatTimeMs(r.timestamp)}
            >
              <span>{r.id}</span><span className="text-slate-400">{r.previousEventId}</span><span className="truncate">{r.type}</span>
              <span>{(r.timestamp - t0).toLocaleString("en-US")}</span><span className="truncate">{r.state}</span><span className="truncate text-slate-600 dark:text-slate-400">{r.summary}</span>
            </div>
          ))}
        </div>
      </div>
      {open !== null && (
        <div className="rounded border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
          <JsonView title={`Event ${open} details`} gated={details} downloadHref={`/api/executions/${executionId}/payload?event=${open}`} />
        </div>
      )}
    </div>
  );
}
