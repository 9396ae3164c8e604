"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { RANGE_PRESETS } from "@/lib/analysis/time-range";

/** The shared time range, kept in the URL (`range`, and `from`/`to` for a custom range). */
export function TimeRangePicker({ label, defaultKey = "7d" }: { label: string; defaultKey?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const current = sp.get("range") ?? defaultKey;
  const go = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(sp.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    next.delete("page");
    router.push(`${pathname}?${next}`);
  };
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="time-range">
      <select aria-label="Time range" value={current} onChange={(e) => go(e.target.value === "custom" ? { range: "custom", from: new Date(Date.now() - 86_400_000).toISOString().slice(0, 16), to: new Date().toISOString().slice(0, 16) } : { range: e.target.value, from: null, to: null })} className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900">
        {RANGE_PRESETS.map((p) => <option key={p.key} value={p.key}>{p.label}</option>)}
        <option value="custom">Custom…</option>
      </select>
      {current === "custom" && (
        <form className="flex items-center gap-1" onSubmit={(e) => { e.preventDefault(); const f = new FormData(e.currentTarget); go({ range: "custom", from: `${String(f.get("from"))}Z`, to: `${String(f.get("to"))}Z` }); }}>
          <input name="from" type="datetime-local" defaultValue={sp.get("from")?.slice(0, 16)} className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900" />
          –
          <input name="to" type="datetime-local" defaultValue={sp.get("to")?.slice(0, 16)} className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-900" />
          <span className="text-xs text-slate-500">UTC</span>
          <button className="rounded bg-slate-800 px-2 py-0.5 text-white dark:bg-slate-200 dark:text-slate-900">Apply</button>
        </form>
      )}
      <span className="text-xs text-slate-500">{label}</span>
    </div>
  );
}
