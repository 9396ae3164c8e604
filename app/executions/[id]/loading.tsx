export default function Loading() {
  return (
    <div className="animate-pulse space-y-3" aria-busy="true" aria-label="Loading">
      <div className="h-7 w-64 rounded bg-slate-200 dark:bg-slate-800" />
      <div className="grid grid-cols-4 gap-3">{[0, 1, 2, 3].map((i) => <div key={i} className="h-20 rounded bg-slate-200 dark:bg-slate-800" />)}</div>
      <div className="h-72 rounded bg-slate-200 dark:bg-slate-800" />
    </div>
  );
}
