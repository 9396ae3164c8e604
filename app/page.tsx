import Link from "next/link";
import { listExecutions } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const store = await getStore();
  const [all, failed] = await Promise.all([listExecutions(store, { pageSize: 1 }), listExecutions(store, { status: "FAILED", pageSize: 1 })]);
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Overview</h1>
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Link href="/executions" className="rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <div className="text-sm text-slate-500">Executions</div><div className="text-2xl font-semibold">{all.total.toLocaleString("en-US")}</div>
        </Link>
        <Link href="/executions?status=FAILED" className="rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <div className="text-sm text-slate-500">Failed</div><div className="text-2xl font-semibold text-red-600">{failed.total.toLocaleString("en-US")}</div>
        </Link>
      </div>
    </div>
  );
}
