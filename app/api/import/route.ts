// Import history files: multipart form data, one or more `file` parts. Each file is checked (zod
// for the request, parseHistoryDocument for the history) before anything is stored; a bad file
// gets a 4xx naming the file and the event.
import { z } from "zod";
import { HistoryParseError, parseHistoryDocument } from "@/lib/history/parse";
import { ingestExecution } from "@/lib/store";
import { getStore } from "@/lib/store/server";

export const dynamic = "force-dynamic";

const MAX_BYTES = 64 * 1024 * 1024;
const Upload = z.object({
  files: z.array(z.instanceof(File)).min(1, "attach at least one history file in a `file` field").max(200, "at most 200 files per request"),
  stateMachine: z.string().trim().min(1).max(80).optional(),
});

/**
 * Imports are stored one at a time: the SQLite driver holds one connection and refuses a second
 * transaction while one is open ("nested transactions are not supported"), which concurrent
 * uploads would otherwise hit as a 500.
 */
let storing: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = storing.then(fn);
  storing = run.catch(() => undefined);
  return run;
}

export async function POST(req: Request) {
  // The proxy hands on at most proxyClientMaxBodySize (next.config.js, the same 64 MB) of a body:
  // a longer one arrives cut off and would read as a broken form.
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BYTES) return Response.json({ error: `the upload is ${length} bytes, over the ${MAX_BYTES} byte limit (send fewer or smaller files per request)` }, { status: 413 });
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    return Response.json({ error: "expected multipart/form-data with `file` fields" }, { status: 400 });
  }
  const parsed = Upload.safeParse({ files: form.getAll("file").filter((f) => typeof f !== "string"), stateMachine: form.get("stateMachine") || undefined });
  if (!parsed.success) return Response.json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 400 });
  const tooBig = parsed.data.files.find((f) => f.size > MAX_BYTES);
  if (tooBig) return Response.json({ error: `${tooBig.name}: ${tooBig.size} bytes is over the ${MAX_BYTES} byte limit`, file: tooBig.name }, { status: 413 });
  // Parse everything first: one bad file rejects the request before anything is written.
  const documents: Array<{ file: string; doc: ReturnType<typeof parseHistoryDocument> }> = [];
  const problems: Array<{ file: string; message: string; problems?: Array<{ index: number | null; message: string }> }> = [];
  for (const file of parsed.data.files) {
    try {
      const doc = parseHistoryDocument(await file.text(), file.name);
      // parses, but the store refuses it: say so now rather than fail (500) while storing
      if (!doc.events.length) throw new HistoryParseError(file.name, [{ index: null, message: "the history has no events" }]);
      documents.push({ file: file.name, doc });
    } catch (err) {
      problems.push(err instanceof HistoryParseError ? { file: file.name, message: err.message, problems: err.problems.slice(0, 20) } : { file: file.name, message: `${file.name}: ${(err as Error).message}` });
    }
  }
  if (problems.length) return Response.json({ error: problems.map((p) => p.message).join("\n"), files: problems }, { status: 422 });
  const store = await getStore();
  const results = await oneAtATime(async () => {
    const out = [];
    for (const { file, doc } of documents) {
      const outcome = await ingestExecution(store.driver, {
        events: doc.events, execution: doc.execution, definition: doc.definition, source: "file",
        stateMachine: { name: parsed.data.stateMachine }, fallbackName: file.replace(/\.json$/i, ""),
      });
      out.push({ file, ...outcome });
    }
    return out;
  });
  return Response.json({ imported: results });
}
