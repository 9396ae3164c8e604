// The raw event table: one compact row per history event (its state, a one-line summary of its
// details), and the table's filters (type, state, text).
import { detailsOf, type HistoryEvent } from "@/lib/history";
import type { HistoryTrace } from "@/lib/reconstruct/visits";

export interface EventRow {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: number;
  /** The state the event belongs to ("" for execution events). */
  state: string;
  /** The visit it belongs to, or -1. */
  seq: number;
  summary: string;
  failed: boolean;
}

const SUMMARY_CHARS = 160;
const FAILURE = /Failed$|TimedOut$|Aborted$|^ExecutionFailed$/;

export function eventRows(events: readonly HistoryEvent[], trace: HistoryTrace): EventRow[] {
  const owner = new Int32Array(events.length).fill(-1);
  trace.visits.forEach((v) => {
    if (v.enteredEventId >= 1 && v.enteredEventId <= events.length) owner[v.enteredEventId - 1] = v.seq;
  });
  trace.eventsOf.forEach((list, seq) => {
    for (const i of list) owner[i] = seq;
  });
  return events.map((e, i) => {
    const d = detailsOf(e);
    let summary = "";
    if (d) {
      const parts: string[] = [];
      for (const [k, v] of Object.entries(d.value)) {
        if (k.endsWith("Details") || v === undefined || v === null) continue;
        const text = typeof v === "string" ? v : JSON.stringify(v);
        parts.push(`${k}=${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
        if (parts.join(" ").length > SUMMARY_CHARS) break;
      }
      summary = parts.join(" ").slice(0, SUMMARY_CHARS);
    }
    const seq = owner[i];
    return { id: e.id, previousEventId: e.previousEventId, type: e.type, timestamp: e.timestamp, state: seq >= 0 ? trace.visits[seq].stateName : "", seq, summary, failed: FAILURE.test(e.type) };
  });
}

export interface EventFilter {
  type?: string;
  state?: string;
  text?: string;
}

export function filterEventRows(rows: readonly EventRow[], f: EventFilter): EventRow[] {
  const text = f.text?.toLowerCase();
  return rows.filter((r) => (!f.type || r.type === f.type) && (!f.state || r.state === f.state) && (!text || r.summary.toLowerCase().includes(text) || r.type.toLowerCase().includes(text) || String(r.id) === text));
}
