// Formatting helpers shared by pages (pure, safe on server and client).
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  const neg = ms < 0 ? "-" : "";
  const a = Math.abs(ms);
  if (a < 1000) return `${neg}${Math.round(a)} ms`;
  if (a < 60_000) return `${neg}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
  if (a < 3_600_000) return `${neg}${Math.floor(a / 60_000)} min ${Math.round((a % 60_000) / 1000)} s`;
  return `${neg}${Math.floor(a / 3_600_000)} h ${Math.round((a % 3_600_000) / 60_000)} min`;
}

export function formatTime(d: Date | number | null | undefined): string {
  if (d === null || d === undefined) return "—";
  return new Date(d).toISOString().replace("T", " ").replace(/\.\d+Z$/, "").replace("Z", "") + " UTC";
}

export function formatTimeMs(d: Date | number | null | undefined): string {
  if (d === null || d === undefined) return "—";
  return new Date(d).toISOString().replace("T", " ").replace("Z", "");
}

export function formatDollars(n: number): string {
  if (n === 0) return "$0";
  if (n < 0.01) return `$${n.toFixed(6)}`;
  if (n < 100) return `$${n.toFixed(4)}`;
  return `$${n.toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;
}

export const formatInt = (n: number) => n.toLocaleString("en-US");
export const formatPct = (f: number) => `${(f * 100).toFixed(f > 0 && f < 0.01 ? 2 : 1)}%`;

export const STATUS_STYLES: Record<string, string> = {
  SUCCEEDED: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300",
  FAILED: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-300",
  TIMED_OUT: "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
  ABORTED: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  RUNNING: "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-300",
  CAUGHT: "bg-orange-100 text-orange-800 dark:bg-orange-900/40 dark:text-orange-300",
  PENDING_REDRIVE: "bg-violet-100 text-violet-800 dark:bg-violet-900/40 dark:text-violet-300",
};

/** Fill colours (charts, timeline bars, grid cells) by status. */
export const STATUS_FILL: Record<string, string> = {
  SUCCEEDED: "#10b981", FAILED: "#ef4444", TIMED_OUT: "#f59e0b", ABORTED: "#94a3b8", RUNNING: "#0ea5e9", CAUGHT: "#f97316", RETRIED: "#eab308", PENDING_REDRIVE: "#8b5cf6", WAIT: "#cbd5e1",
};
