"use client";
// A payload, always as text (React escapes it: HTML in a payload is shown, never run). Above the
// size gate only a preview is rendered, with a download link for the whole payload.
import { useState } from "react";
import { formatBytes, type GatedJson } from "@/lib/analysis/json-gate";

export function JsonView({ gated, downloadHref, title, maxHeight = "20rem" }: { gated: GatedJson | null; downloadHref?: string; title?: string; maxHeight?: string }) {
  const [copied, setCopied] = useState(false);
  if (!gated) return <p className="text-xs text-slate-500">{title ? `${title}: ` : ""}none recorded</p>;
  const copy = async () => {
    const text = gated.large && downloadHref ? await (await fetch(downloadHref)).text() : gated.text;
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
  };
  return (
    <div className="min-w-0" data-testid="json-view">
      <div className="mb-1 flex items-center gap-2 text-xs text-slate-500">
        {title && <span className="font-medium text-slate-700 dark:text-slate-300">{title}</span>}
        <span>{formatBytes(gated.size)}</span>
        <button type="button" onClick={copy} className="rounded border border-slate-300 px-1.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">{copied ? "copied" : "copy"}</button>
        {downloadHref && <a href={downloadHref} download className="text-sky-700 hover:underline dark:text-sky-400">download</a>}
      </div>
      {gated.large && <p className="mb-1 rounded bg-amber-50 px-2 py-1 text-xs text-amber-800 dark:bg-amber-950/50 dark:text-amber-300">Large payload ({formatBytes(gated.size)}): showing the first {formatBytes(gated.text.length)}. Download it for the rest.</p>}
      <pre className="overflow-auto whitespace-pre-wrap break-all rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs leading-snug dark:border-slate-800 dark:bg-slate-950" style={{ maxHeight }}>{gated.text}</pre>
    </div>
  );
}
