"use client";
import Link from "next/link";
import { useState } from "react";

interface Result {
  imported?: Array<{ file: string; executionId: number; executionArn: string; outcome: string; eventCount: number }>;
  error?: string;
  files?: Array<{ file: string; message: string }>;
}

export function UploadForm() {
  const [files, setFiles] = useState<File[]>([]);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ status: number; body: Result } | null>(null);
  const send = async () => {
    setBusy(true);
    setResult(null);
    const form = new FormData();
    for (const f of files) form.append("file", f);
    try {
      const res = await fetch("/api/import", { method: "POST", body: form });
      setResult({ status: res.status, body: (await res.json()) as Result });
      if (res.ok) setFiles([]);
    } catch (e) {
      setResult({ status: 0, body: { error: (e as Error).message } });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="space-y-3">
      <label
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); setFiles([...files, ...Array.from(e.dataTransfer.files)]); }}
        className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed p-10 text-sm ${over ? "border-sky-500 bg-sky-50 dark:bg-sky-950/30" : "border-slate-300 dark:border-slate-700"}`}
        data-testid="dropzone"
      >
        <span className="font-medium">Drop history files here</span>
        <span className="text-slate-500">or click to choose (JSON)</span>
        <input type="file" multiple accept=".json,application/json" className="sr-only" data-testid="file-input" onChange={(e) => setFiles([...files, ...Array.from(e.target.files ?? [])])} />
      </label>
      {files.length > 0 && (
        <ul className="text-sm">
          {files.map((f, i) => <li key={i}>{f.name} <span className="text-slate-500">({(f.size / 1024).toFixed(1)} KB)</span></li>)}
        </ul>
      )}
      <button type="button" disabled={!files.length || busy} onClick={send} className="rounded bg-sky-600 px-4 py-1.5 text-sm font-medium text-white disabled:opacity-40" data-testid="import-button">{busy ? "Importing…" : `Import ${files.length || ""} file${files.length === 1 ? "" : "s"}`}</button>
      {result && (
        <div className={`rounded border p-3 text-sm ${result.status >= 200 && result.status < 300 ? "border-emerald-300 bg-emerald-50 dark:border-emerald-900 dark:bg-emerald-950/30" : "border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/30"}`} data-testid="import-result">
          {result.body.imported?.map((r) => (
            <div key={r.executionArn}>{r.file}: {r.outcome} — <Link className="text-sky-700 underline" href={`/executions/${r.executionId}`}>{r.executionArn.split(":").pop()}</Link> ({r.eventCount} events)</div>
          ))}
          {result.body.error && <pre className="whitespace-pre-wrap break-all font-mono text-xs text-red-800 dark:text-red-300">HTTP {result.status}: {result.body.error}</pre>}
        </div>
      )}
    </div>
  );
}
