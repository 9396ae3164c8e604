import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-2 p-6 text-center">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="text-sm text-slate-500">No such execution, state machine or page. It may not have been imported yet.</p>
      <p className="text-sm"><Link className="text-sky-700 underline" href="/executions">All executions</Link> · <Link className="text-sky-700 underline" href="/upload">Import histories</Link></p>
    </div>
  );
}
