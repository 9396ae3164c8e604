// The whole history as `aws stepfunctions get-execution-history` prints it, to share or re-import.
import { toCliHistory } from "@/lib/history/parse";
import { loadHistory } from "@/lib/store/history";
import { getStore } from "@/lib/store/server";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id)) return Response.json({ error: "execution id must be an integer" }, { status: 400 });
  const store = await getStore();
  const events = await loadHistory(store.driver, id);
  if (!events.length) return Response.json({ error: `no execution ${id}` }, { status: 404 });
  return new Response(JSON.stringify(toCliHistory(events), null, 1), { headers: { "Content-Type": "application/json", "Content-Disposition": `attachment; filename="execution-${id}-history.json"` } });
}
