// The compact event rows of one execution, for the raw event table.
import { eventRows } from "@/lib/analysis/events";
import { traceHistory } from "@/lib/reconstruct/visits";
import { loadHistory } from "@/lib/store/history";
import { getStore } from "@/lib/store/server";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id)) return Response.json({ error: "execution id must be an integer" }, { status: 400 });
  const store = await getStore();
  const events = await loadHistory(store.driver, id);
  if (!events.length) return Response.json({ error: `no execution ${id}` }, { status: 404 });
  return Response.json({ rows: eventRows(events, traceHistory(events)) });
}
