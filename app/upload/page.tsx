import { UploadForm } from "./client";

export default function UploadPage() {
  return (
    <div className="max-w-3xl space-y-3">
      <h1 className="text-xl font-semibold">Import execution histories</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Drop the output of <code>aws stepfunctions get-execution-history --execution-arn … &gt; run.json</code>, a bare array of events, or a bundle
        with <code>execution</code>, <code>stateMachine</code> and <code>definition</code>. Files are checked before anything is stored.
      </p>
      <UploadForm />
    </div>
  );
}
