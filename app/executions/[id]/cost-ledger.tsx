import type { ExecutionLedger } from "@/lib/analysis/cost";
import { PRICE_SOURCE } from "@/lib/analysis/pricing";
import { formatDollars, formatDuration, formatInt, formatPct } from "../../lib-format";

/** Where this execution's money went, state by state. */
export function CostLedger({ ledger }: { ledger: ExecutionLedger }) {
  return (
    <div className="space-y-2 rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900" data-testid="cost-ledger">
      <p>
        {ledger.type === "EXPRESS"
          ? <>Express: 1 request + {formatDuration(ledger.billedDurationMs)} billed × 64 MB = {ledger.gbSeconds?.toFixed(4)} GB-s → <b>{formatDollars(ledger.dollars)}</b>. Transitions are not billed for Express; the table shows where the time went instead.</>
          : <><b>{formatInt(ledger.transitions)}</b> billable transitions ({formatInt(ledger.retryTransitions)} from retries, {formatPct(ledger.retryShare)}) → <b>{formatDollars(ledger.dollars)}</b> at list price, before the free tier.</>}
      </p>
      <table className="w-full">
        <thead className="text-left text-xs uppercase text-slate-500"><tr><th>State</th><th>Type</th><th className="text-right">Visits</th><th className="text-right">Retries</th><th className="text-right">Transitions</th><th className="text-right">Share</th>{ledger.type === "STANDARD" && <th className="text-right">Cost</th>}</tr></thead>
        <tbody>
          {ledger.lines.map((l) => (
            <tr key={l.stateName} className="border-b border-slate-100 dark:border-slate-800">
              <td className="py-1">{l.stateName}</td><td className="text-xs text-slate-500">{l.stateType}</td>
              <td className="text-right">{formatInt(l.visits)}</td>
              <td className={`text-right ${l.retries ? "text-amber-700 dark:text-amber-400" : "text-slate-400"}`}>{formatInt(l.retries)}</td>
              <td className="text-right">{formatInt(l.transitions)}</td>
              <td className="text-right">{formatPct(ledger.transitions ? l.transitions / ledger.transitions : 0)}</td>
              {ledger.type === "STANDARD" && <td className="text-right">{formatDollars(l.dollars)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500">{PRICE_SOURCE.note} Source: {PRICE_SOURCE.url}, read {PRICE_SOURCE.read}.</p>
    </div>
  );
}
