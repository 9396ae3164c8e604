// One payload as a download (always text/plain or JSON as an attachment, never rendered as HTML):
// an execution's input/output, or a field of one event's details. `gated=1` returns the size-gated
// preview the JSON viewer shows instead.
import { z } from "zod";
import { gateJson } from "@/lib/analysis/json-gate";
import { eventDetails, executionPayload } from "@/lib/store/queries";
import { getStore } from "@/lib/store/server";

export const dynamic = "force-dynamic";

const Query = z.object({
  event: z.coerce.number().int().positive().optional(),
  field: z.enum(["input", "output", "parameters", "cause"]).optional(),
  gated: z.literal("1").optional(),
});

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  const parsed = Query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!Number.isSafeInteger(id) || !parsed.success) return Response.json({ error: parsed.success ? "execution id must be an integer" : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  const { event, field, gated } = parsed.data;
  const store = await getStore();
  let text: string | null;
  if (event !== undefined) {
    const details = await eventDetails(store, id, event);
    if (!details) return Response.json({ error: `event ${event} of execution ${id} has no details` }, { status: 404 });
    const value = field ? details[field] : details;
    text = value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value);
  } else {
    text = await executionPayload(store, id, field === "output" ? "output" : field === "cause" ? "cause" : "input");
  }
  if (gated) return Response.json(gateJson(text));
  if (text === null) return Response.json({ error: "nothing recorded" }, { status: 404 });
  const name = `execution-${id}${event !== undefined ? `-event-${event}` : ""}-${field ?? "details"}.json`;
  return new Response(text, { headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "X-Content-Type-Options": "nosniff" } });
}
