import Link from "next/link";
import type { ExecutionLedger } from "@/lib/analysis/cost";
import type { ChangeSummary } from "@/lib/analysis/diff";
import type { HistoryBudget } from "@/lib/analysis/history-budget";
import { PRICE_SOURCE } from "@/lib/analysis/pricing";
import { formatDollars, formatDuration, formatInt, formatPct, formatTime } from "../../lib-format";
import { StatusBadge } from "../../status-badge";
import { CopyButton } from "../../_components/copy-button";
import { AutoRefresh } from "../../_components/auto-refresh";

interface Props {
  ex: {
    id: number; arn: string; name: string; status: string; startDate: Date; stopDate: Date | null; durationMs: number | null; error: string | null; cause: string | null;
    failedState: string | null; redriveCount: number; stateMachine: { name: string; type: string }; version: { hash: string } | null;
  };
  ledger: ExecutionLedger;
  parent: { id: number; name: string; status: string } | null;
  childExecutions: Array<{ id: number; name: string; status: string }>;
  versionNumber: number | null;
  lastSuccess: { id: number; name: string; sameVersion: boolean } | null;
  failureHref: string | null;
  root: { stateName: string; error: string | null; cause: string | null; path: string } | null;
  budget: HistoryBudget;
  sinceLastSuccess: ({ id: number; name: string } & ChangeSummary) | null;
}

export function ExecutionHeader({ ex, ledger, parent, childExecutions, versionNumber, lastSuccess, failureHref, root, budget, sinceLastSuccess }: Props) {
  const meter = budget.fraction;
  const failed = ex.status !== "SUCCEEDED" && ex.status !== "RUNNING";
  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold" data-testid="execution-name">{ex.name}</h1>
        <StatusBadge status={ex.status} />
        {ex.status === "RUNNING" && <AutoRefresh />}
        <Link href={`/state-machines/${encodeURIComponent(ex.stateMachine.name)}`} className="text-sm text-sky-700 hover:underline dark:text-sky-400">{ex.stateMachine.name}</Link>
        <span className="text-xs text-slate-500">{ex.stateMachine.type}{versionNumber ? ` · version ${versionNumber}` : ""}{ex.version ? ` (${ex.version.hash.slice(0, 7)})` : ""}</span>
        <span className="ml-auto flex gap-2">
          {failureHref && <Link href={failureHref} data-jump-failure data-testid="jump-failure" scroll={false} className="rounded bg-red-600 px-3 py-1 text-sm font-medium text-white hover:bg-red-700">Jump to failure <kbd className="ml-1 rounded bg-red-800/60 px-1 text-xs">e</kbd></Link>}
          {lastSuccess && <Link href={`/compare?a=${lastSuccess.id}&b=${ex.id}`} data-testid="compare-last-success" className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Compare with last success{lastSuccess.sameVersion ? " (same version)" : ""}</Link>}
          <a href={`/api/executions/${ex.id}/export`} className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800" download>Export JSON</a>
        </span>
      </div>
      <p className="flex items-center gap-2 break-all font-mono text-xs text-slate-500">{ex.arn} <CopyButton text={ex.arn} /></p>
      {failed && (
        <div className="rounded border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950/40" data-testid="failure-banner">
          <div className="font-medium text-red-800 dark:text-red-300">
            {ex.error ?? "Failed"}
            {root ? <> in <span className="font-semibold">{root.stateName}</span>{root.path ? <span className="font-normal text-red-700/80"> ({root.path})</span> : null}{root.error && root.error !== ex.error ? <> — state error {root.error}</> : null}</> : ex.failedState ? ` in ${ex.failedState}` : ""}
          </div>
          {(root?.cause ?? ex.cause) && <pre className="mt-1 max-h-24 overflow-auto whitespace-pre-wrap break-all font-mono text-xs">{(root?.cause ?? ex.cause ?? "").slice(0, 2000)}</pre>}
          {sinceLastSuccess && (
            <p className="mt-2 border-t border-red-200 pt-1.5 text-xs text-slate-700 dark:border-red-900 dark:text-slate-300" data-testid="since-last-success">
              Since the last success (<Link className="text-sky-700 underline dark:text-sky-400" href={`/executions/${sinceLastSuccess.id}`}>{sinceLastSuccess.name}</Link>):{" "}
              {sinceLastSuccess.divergence ? <>the path parts at <b>{sinceLastSuccess.divergence}</b></> : "same path"}
              {"; "}input {sinceLastSuccess.inputChanges.length ? <>differs at <span className="font-mono">{sinceLastSuccess.inputChanges.join(", ")}</span></> : "is the same"}.{" "}
              <Link className="text-sky-700 underline dark:text-sky-400" href={`/compare?a=${sinceLastSuccess.id}&b=${ex.id}`}>compare →</Link>
            </p>
          )}
        </div>
      )}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4 lg:grid-cols-7">
        <div><dt className="text-xs text-slate-500">Started</dt><dd>{formatTime(ex.startDate)}</dd></div>
        <div><dt className="text-xs text-slate-500">Stopped</dt><dd>{formatTime(ex.stopDate)}</dd></div>
        <div><dt className="text-xs text-slate-500">Duration</dt><dd className="font-medium">{ex.status === "RUNNING" && ex.durationMs === null ? <>{formatDuration(Date.now() - ex.startDate.getTime())} <span className="text-xs font-normal text-slate-500">so far</span></> : formatDuration(ex.durationMs)}</dd></div>
        <div>
          <dt className="text-xs text-slate-500">{ledger.type === "EXPRESS" ? "Billed (Express)" : "State transitions"}</dt>
          <dd data-testid="transitions">{ledger.type === "EXPRESS" ? `${formatDuration(ledger.billedDurationMs)} × 64 MB` : `${formatInt(ledger.transitions)}`}{ledger.retryTransitions ? <span className="text-xs text-amber-700 dark:text-amber-400"> ({formatInt(ledger.retryTransitions)} retries)</span> : null}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Cost of this execution</dt>
          <dd data-testid="execution-cost" title={`${PRICE_SOURCE.note} Source: ${PRICE_SOURCE.url} (read ${PRICE_SOURCE.read}). No free tier applied.`}>{formatDollars(ledger.dollars)}{ledger.type === "STANDARD" && ledger.retryTransitions ? <span className="text-xs text-slate-500"> · retry share {formatPct(ledger.retryShare)}</span> : null}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Parent / children</dt>
          <dd className="truncate">
            {parent ? <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions/${parent.id}`}>↑ {parent.name}</Link> : <span className="text-slate-400">no parent</span>}
            {childExecutions.length > 0 && <> · <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/executions?parentArn=${encodeURIComponent(ex.arn)}`}>{childExecutions.length} children</Link></>}
          </dd>
        </div>
        {ledger.type === "EXPRESS" ? (
          <div><dt className="text-xs text-slate-500">History events</dt><dd>{formatInt(budget.used)} <span className="text-xs text-slate-500">(Express: from logs, no 25,000 cap)</span></dd></div>
        ) : (
        <div title="AWS fails a Standard execution whose history reaches 25,000 events">
          <dt className="flex justify-between text-xs text-slate-500"><span>History events</span><span>{formatPct(meter)}</span></dt>
          <dd data-testid="event-meter">
            {formatInt(budget.used)} / {formatInt(budget.limit)}
            <div className="mt-0.5 h-1.5 rounded bg-slate-200 dark:bg-slate-800"><div className={`h-1.5 rounded ${meter > 0.8 ? "bg-red-500" : meter > 0.5 ? "bg-amber-500" : "bg-sky-500"}`} style={{ width: `${Math.min(100, Math.max(meter * 100, 0.5))}%` }} /></div>
            {budget.used >= 1_000 && <div className="mt-0.5 truncate text-[11px] text-slate-500" title={budget.byState.map((b) => `${b.stateName}: ${formatInt(b.events)}`).join("\n")}>{budget.byState.slice(0, 3).map((b) => `${b.stateName} ${formatInt(b.events)}`).join(" · ")}</div>}
            {budget.projectedLimitAt !== null && <div className="text-[11px] text-amber-700 dark:text-amber-400">reaches 25,000 at ~{formatTime(budget.projectedLimitAt)}</div>}
          </dd>
        </div>
        )}
      </dl>
    </section>
  );
}
