// Formatting helpers shared by pages (pure, safe on server and client).
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

export function formatTime(d: Date | number | null | undefined): string {
  if (d === null || d === undefined) return "—";
  return new Date(d).toISOString().replace("T", " ").replace("Z", " UTC");
}

export const STATUS_STYLES: Record<string, string> = {
  SUCCEEDED: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-300",
  FAILED: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-300",
  TIMED_OUT: "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
  ABORTED: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  RUNNING: "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-300",
  CAUGHT: "bg-orange-100 text-orange-800 dark:bg-orange-900/40 dark:text-orange-300",
};
