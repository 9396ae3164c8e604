"use client";
// The Gantt chart: rows laid out by lib/analysis/timeline, drawn virtualized (only the rows in view
// are in the DOM), with zoom (buttons or drag on the axis; kept in the URL as `zoom=from-to` ms)
// and hover titles giving exact times.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { barsOf, type TimelineRow, type TimelineSegment } from "@/lib/analysis/timeline";
import { formatDuration, formatTimeMs, STATUS_FILL } from "../../lib-format";

const ROW_H = 24;
const LABEL_W = 300;
const VIEW_H = 560;
const OVERSCAN = 10;

interface Props {
  rows: TimelineRow[];
  totalMs: number;
  t0: number;
  selectedSeq: number | null;
  failureIndex: number;
  expanded: number[];
}

function segFill(s: TimelineSegment): string {
  if (s.kind === "backoff") return STATUS_FILL.WAIT;
  return STATUS_FILL[s.outcome] ?? STATUS_FILL.SUCCEEDED;
}

export function Timeline({ rows, totalMs, t0, selectedSeq, failureIndex, expanded }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const initialZoom = useMemo(() => {
    const m = /^(\d+)-(\d+)$/.exec(sp.get("zoom") ?? "");
    return m && Number(m[2]) > Number(m[1]) ? ([Number(m[1]), Number(m[2])] as const) : ([0, totalMs] as const);
  }, [sp, totalMs]);
  const [zoom, setZoom] = useState<readonly [number, number]>(initialZoom);
  const [scrollTop, setScrollTop] = useState(0);
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const axis = useRef<HTMLDivElement>(null);

  const selectedIndex = useMemo(() => {
    const i = rows.findIndex((r) => r.kind === "visit" && r.seq === selectedSeq);
    return i >= 0 ? i : rows.findIndex((r) => r.seq === selectedSeq);
  }, [rows, selectedSeq]);

  // Bring the selected row (or the failure) into view on load and when the selection changes.
  useEffect(() => {
    const target = selectedIndex >= 0 ? selectedIndex : failureIndex;
    const el = scroller.current;
    if (!el || target < 0) return;
    const top = target * ROW_H;
    if (top < el.scrollTop || top > el.scrollTop + VIEW_H - ROW_H * 2) el.scrollTop = Math.max(0, top - VIEW_H / 3);
  }, [selectedIndex, failureIndex]);

  // `n`: the next failed (or caught) state after the selection, wrapping around.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== "n" || e.metaKey || e.ctrlKey || e.altKey || (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA"))) return;
      const bad = (r: TimelineRow) => r.seq !== null && r.kind !== "map-iterations" && (r.status === "FAILED" || r.status === "CAUGHT") && r.stateType !== "Parallel" && r.stateType !== "Map";
      const order = [...rows.keys()].map((k) => (selectedIndex + 1 + k) % rows.length);
      const next = order.find((i) => bad(rows[i]));
      if (next === undefined) return;
      const params = new URLSearchParams(window.location.search);
      params.set("state", String(rows[next].seq));
      router.replace(`${pathname}?${params}`, { scroll: false });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, selectedIndex, router, pathname]);

  const setZoomUrl = (z: readonly [number, number]) => {
    setZoom(z);
    const next = new URLSearchParams(sp.toString());
    if (z[0] <= 0 && z[1] >= totalMs) next.delete("zoom");
    else next.set("zoom", `${Math.round(z[0])}-${Math.round(z[1])}`);
    window.history.replaceState(null, "", `${pathname}?${next}`);
  };
  const zoomBy = (factor: number) => {
    const mid = (zoom[0] + zoom[1]) / 2;
    const half = Math.max(5, ((zoom[1] - zoom[0]) * factor) / 2);
    setZoomUrl([Math.max(0, mid - half), Math.min(totalMs, mid + half)]);
  };
  const span = Math.max(1, zoom[1] - zoom[0]);
  const pct = (t: number) => ((t - zoom[0]) / span) * 100;
  const xToT = (clientX: number) => {
    const r = axis.current?.getBoundingClientRect();
    if (!r) return 0;
    return zoom[0] + ((clientX - r.left) / r.width) * span;
  };
  const ticks = useMemo(() => {
    const out: number[] = [];
    const step = niceStep(span / 8);
    for (let t = Math.ceil(zoom[0] / step) * step; t <= zoom[1]; t += step) out.push(t);
    return out;
  }, [zoom, span]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEW_H) / ROW_H) + OVERSCAN);
  const select = (seq: number | null) => {
    if (seq === null) return;
    const next = new URLSearchParams(sp.toString());
    next.set("state", String(seq));
    router.replace(`${pathname}?${next}`, { scroll: false });
  };
  const expandHref = (mapSeq: number) => {
    const set = new Set(expanded);
    if (set.has(mapSeq)) set.delete(mapSeq);
    else set.add(mapSeq);
    const next = new URLSearchParams(sp.toString());
    if (set.size) next.set("expand", [...set].join(","));
    else next.delete("expand");
    return `${pathname}?${next}`;
  };

  const iterFilterHref = () => {
    const next = new URLSearchParams(sp.toString());
    if (next.get("iter") === "failed") next.delete("iter");
    else next.set("iter", "failed");
    return `${pathname}?${next}`;
  };

  return (
    <div className="rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-testid="timeline">
      <div className="flex items-center gap-2 border-b border-slate-200 px-2 py-1 text-xs dark:border-slate-800">
        <span className="text-slate-500">{rows.length.toLocaleString("en-US")} rows · {formatDuration(totalMs)}</span>
        <span className="ml-3 flex items-center gap-2 text-slate-500">
          <i className="inline-block h-2 w-4 rounded-sm" style={{ background: STATUS_FILL.SUCCEEDED }} />ok
          <i className="inline-block h-2 w-4 rounded-sm" style={{ background: STATUS_FILL.FAILED }} />failed try
          <i className="inline-block h-2 w-4 rounded-sm" style={{ background: STATUS_FILL.WAIT }} />backoff
          <i className="inline-block h-2 w-4 rounded-sm" style={{ background: STATUS_FILL.CAUGHT }} />caught
        </span>
        {expanded.length > 0 && (
          <form className="ml-3 flex items-center gap-1" onSubmit={(e) => {
            e.preventDefault();
            const key = String(new FormData(e.currentTarget).get("ikey") ?? "").trim();
            const next = new URLSearchParams(sp.toString());
            if (key) next.set("ikey", key);
            else next.delete("ikey");
            router.replace(`${pathname}?${next}`, { scroll: false });
          }}>
            <label className="text-slate-500" htmlFor="ikey">item key</label>
            <input id="ikey" name="ikey" defaultValue={sp.get("ikey") ?? ""} placeholder="$.sku" className="w-28 rounded border border-slate-300 bg-white px-1 font-mono dark:border-slate-700 dark:bg-slate-900" data-testid="item-key" />
          </form>
        )}
        <span className="ml-auto flex items-center gap-1">
          <span className="text-slate-500">zoom {formatDuration(zoom[0])} – {formatDuration(zoom[1])}</span>
          <button type="button" className="rounded border border-slate-300 px-1.5 dark:border-slate-700" onClick={() => zoomBy(0.5)} aria-label="Zoom in">+</button>
          <button type="button" className="rounded border border-slate-300 px-1.5 dark:border-slate-700" onClick={() => zoomBy(2)} aria-label="Zoom out">−</button>
          <button type="button" className="rounded border border-slate-300 px-1.5 dark:border-slate-700" onClick={() => setZoomUrl([0, totalMs])}>reset</button>
        </span>
      </div>
      <div className="flex text-[10px] text-slate-500">
        <div style={{ width: LABEL_W }} className="shrink-0 px-2 py-0.5">state · drag the axis to zoom</div>
        <div
          ref={axis}
          className="relative h-5 flex-1 cursor-crosshair select-none border-l border-slate-200 dark:border-slate-800"
          onMouseDown={(e) => setDrag({ x0: e.clientX, x1: e.clientX })}
          onMouseMove={(e) => drag && setDrag({ ...drag, x1: e.clientX })}
          onMouseUp={() => {
            if (drag && Math.abs(drag.x1 - drag.x0) > 4) {
              const a = xToT(Math.min(drag.x0, drag.x1));
              const b = xToT(Math.max(drag.x0, drag.x1));
              setZoomUrl([Math.max(0, a), Math.min(totalMs, b)]);
            }
            setDrag(null);
          }}
          onMouseLeave={() => setDrag(null)}
        >
          {ticks.map((t) => <span key={t} className="absolute top-0.5 -translate-x-1/2 whitespace-nowrap" style={{ left: `${pct(t)}%` }}>+{formatDuration(t)}</span>)}
          {drag && axis.current && <span className="absolute inset-y-0 bg-sky-400/30" style={{ left: Math.min(drag.x0, drag.x1) - axis.current.getBoundingClientRect().left, width: Math.abs(drag.x1 - drag.x0) }} />}
        </div>
      </div>
      <div ref={scroller} className="relative overflow-auto border-t border-slate-200 dark:border-slate-800" style={{ height: Math.min(VIEW_H, rows.length * ROW_H + 4) }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: rows.length * ROW_H, position: "relative" }}>
          {rows.slice(first, last).map((row, k) => {
            const i = first + k;
            const selected = i === selectedIndex;
            return (
              <div
                key={row.key}
                data-row
                data-testid={`timeline-row-${row.kind}`}
                data-state={row.label}
                data-status={row.status}
                className={`absolute left-0 right-0 flex cursor-pointer items-center text-xs hover:bg-slate-50 dark:hover:bg-slate-800/60 ${selected ? "bg-sky-50 dark:bg-sky-950/50" : ""}`}
                style={{ top: i * ROW_H, height: ROW_H }}
                onClick={() => select(row.seq)}
              >
                <div className="flex shrink-0 items-center gap-1 truncate px-2" style={{ width: LABEL_W, paddingLeft: 8 + row.depth * 14 }}>
                  {row.kind === "map-iterations" ? (
                    <Link href={expandHref(row.mapSeq!)} scroll={false} onClick={(e) => e.stopPropagation()} className="rounded border border-slate-300 px-1 text-[10px] text-sky-700 dark:border-slate-700 dark:text-sky-400" data-testid="expand-map">
                      {expanded.includes(row.mapSeq!) ? "collapse" : "expand"}
                    </Link>
                  ) : null}
                  {row.kind === "map-iterations" && !!row.failedIterations && expanded.includes(row.mapSeq!) && (
                    <Link href={iterFilterHref()} scroll={false} onClick={(e) => e.stopPropagation()} className="rounded border border-red-300 px-1 text-[10px] text-red-700 dark:border-red-800 dark:text-red-400" data-testid="failed-iterations-only">
                      {sp.get("iter") === "failed" ? "all" : "failed only"}
                    </Link>
                  )}
                  <span className={`truncate ${row.status === "FAILED" ? "font-semibold text-red-700 dark:text-red-400" : row.status === "CAUGHT" ? "text-orange-700 dark:text-orange-400" : ""}`}>{row.label}</span>
                  {row.kind === "visit" && <span className="shrink-0 text-[10px] text-slate-400">{row.stateType}</span>}
                  {row.segments.filter((s) => s.kind === "attempt").length > 1 && <span className="shrink-0 rounded bg-amber-100 px-1 text-[10px] text-amber-800 dark:bg-amber-900/40 dark:text-amber-300">{row.segments.filter((s) => s.kind === "attempt").length} tries</span>}
                </div>
                <div className="relative h-full flex-1 overflow-hidden border-l border-slate-100 dark:border-slate-800">
                  {row.density ? (
                    <DensityStrip row={row} pct={pct} />
                  ) : (
                    barsOf(row).map((s, j) => {
                      if (s.end < zoom[0] || s.start > zoom[1]) return null;
                      const left = Math.max(0, pct(s.start));
                      const width = Math.max(0.15, Math.min(100, pct(s.end)) - left);
                      return (
                        <div
                          key={j}
                          className={`absolute top-1/2 -translate-y-1/2 rounded-sm ${s.kind === "backoff" ? "h-1.5" : "h-3.5"}`}
                          style={{ left: `${left}%`, width: `${width}%`, minWidth: 2, background: segFill(s) }}
                          title={`${row.label}${row.lane ? ` (${row.lane})` : ""}${s.kind === "attempt" ? ` · try ${s.attempt}` : s.kind === "backoff" ? " · backoff" : ""} · ${s.kind === "backoff" ? "waiting" : s.outcome}${s.error ? ` ${s.error}` : ""}\nstart +${formatDuration(s.start)}  ${formatTimeMs(t0 + s.start)}\nend   +${formatDuration(s.end)}  ${formatTimeMs(t0 + s.end)}\nduration ${formatDuration(s.end - s.start)}`}
                        />
                      );
                    })
                  )}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function DensityStrip({ row, pct }: { row: TimelineRow; pct: (t: number) => number }) {
  const d = row.density!;
  const max = Math.max(1, ...d.active);
  const width = (row.end - row.start) / d.active.length;
  return (
    <>
      {d.active.map((n, k) => {
        if (!n) return null;
        const s = row.start + k * width;
        const left = pct(s);
        const w = pct(s + width) - left;
        if (left > 100 || left + w < 0) return null;
        return (
          <div key={k} className="absolute bottom-0.5" style={{ left: `${left}%`, width: `${Math.max(w, 0.1)}%`, height: `${20 + 70 * (n / max)}%`, background: d.failed[k] ? STATUS_FILL.FAILED : "#38bdf8", opacity: d.failed[k] ? 1 : 0.75 }} title={`${n} iterations active${d.failed[k] ? `, ${d.failed[k]} failed` : ""} at +${formatDuration(s)}`} />
        );
      })}
    </>
  );
}

function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}
