"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-xl space-y-3 rounded border border-red-200 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40">
      <h1 className="text-lg font-semibold text-red-800 dark:text-red-300">This page could not be shown</h1>
      <p className="whitespace-pre-wrap break-all font-mono text-sm">{error.message}</p>
      {error.digest && <p className="text-xs text-slate-500">digest {error.digest} (in the server log)</p>}
      <button type="button" onClick={reset} className="rounded bg-slate-900 px-3 py-1 text-sm text-white dark:bg-slate-100 dark:text-slate-900">Try again</button>
    </div>
  );
}
