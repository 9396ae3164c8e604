import Link from "next/link";
import { notFound } from "next/navigation";
import { executionLedger } from "@/lib/analysis/cost";
import { findState, graphOverlay, layoutDefinition, readMachine, visitToOpen } from "@/lib/analysis/graph-layout";
import { historyBudget } from "@/lib/analysis/history-budget";
import { rootFailure } from "@/lib/analysis/incidents";
import { inspectVisit, type StateDefinitionLike, withRunModel } from "@/lib/analysis/inspector";
import { enclosingMaps, failureRowIndex, layoutTimeline } from "@/lib/analysis/timeline";
import { traceHistory } from "@/lib/reconstruct/visits";
import { executionPayload, getExecutionDetail, listVisits } from "@/lib/store/queries";
import { type ChangeSummary, changeSummary } from "@/lib/analysis/diff";
import { getStore } from "@/lib/store/server";
import { gateJson } from "@/lib/analysis/json-gate";
import { int, one, type SearchParams, withParams } from "../../_components/page-params";
import { JsonView } from "../../_components/json-view";
import { ExecutionHeader } from "./header";
import { Inspector } from "./inspector";
import { Timeline } from "./timeline";
import { DefinitionGraph } from "./graph";
import { RECONSTRUCT_EAGER_EVENTS, runModelFor } from "./run-model";
import { EventsTable } from "./events-table";
import { CostLedger } from "./cost-ledger";

export const dynamic = "force-dynamic";

const TABS = [
  { key: "timeline", label: "Timeline" },
  { key: "graph", label: "Graph" },
  { key: "events", label: "Events" },
  { key: "io", label: "Input & output" },
  { key: "cost", label: "Cost" },
  { key: "definition", label: "Definition" },
] as const;

export default async function ExecutionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const numeric = Number(id);
  // ids are row ids: 1e21 is an integer too, but no database column holds it (Prisma would throw)
  if (!Number.isSafeInteger(numeric)) notFound();
  const data = await getExecutionDetail(await getStore(), numeric);
  if (!data) notFound();
  const { execution: ex, events } = data;
  const trace = traceHistory(events);
  // A succeeded execution has no failure to jump to, even if a Catch handled an error on the way (`n` finds those).
  const root = ex.status === "FAILED" || ex.status === "TIMED_OUT" || ex.status === "ABORTED" ? rootFailure(trace.visits) : null;
  const tab = TABS.find((t) => t.key === one(sp.tab))?.key ?? "timeline";
  const selected = one(sp.state) === "none" ? null : (int(sp.state) ?? root?.seq ?? null);
  const expanded = new Set((one(sp.expand) ?? "").split(",").filter(Boolean).map(Number));
  const machine = readMachine(ex.version?.definition);
  const ledger = executionLedger(trace.visits, ex.stateMachine.type, ex.durationMs, ex.stateMachine.region);
  const selectedVisit = selected !== null ? trace.visits[selected] : undefined;
  const base = `/executions/${ex.id}`;
  const recorded = selectedVisit ? inspectVisit(trace, events, selectedVisit.seq, machine ? (findState(machine, selectedVisit.stateName) as StateDefinitionLike | null) : null) : null;
  const wantModel = !!(recorded && ex.version?.definition && (events.length <= RECONSTRUCT_EAGER_EVENTS || one(sp.model) === "1"));
  const model = wantModel
    ? await runModelFor(`${ex.id}:${events.length}`, ex.version!.definition, events, { executionArn: ex.arn, name: ex.name, stateMachineArn: ex.stateMachine.arn, stateMachineName: ex.stateMachine.name, type: ex.stateMachine.type === "EXPRESS" ? "EXPRESS" : "STANDARD", redriveCount: ex.redriveCount })
    : null;
  const node = model && selectedVisit ? model.allVisits[selectedVisit.seq] : undefined;
  const inspector = recorded && node ? withRunModel(recorded, node, model!.divergences) : recorded;
  const modelHref = recorded && ex.version?.definition && !wantModel ? `${base}${withParams(sp, { model: "1" })}` : null;
  // Jumping to a failure inside a Map opens that Map's iterations so the failing one is a row.
  const mapsAbove = root ? enclosingMaps(trace, root.seq) : [];
  const failureExpand = [...new Set([...expanded, ...mapsAbove])].join(",");
  const failureHref = root ? `${base}${withParams(sp, { state: root.seq, tab: tab === "graph" ? "graph" : "timeline", expand: failureExpand || undefined })}` : null;
  // What changed since the last good run: where the paths part, and how the inputs differ.
  let sinceLastSuccess: ({ id: number; name: string } & ChangeSummary) | null = null;
  if (root && data.lastSuccess) {
    const store = await getStore();
    const [goodVisits, goodInput] = await Promise.all([listVisits(store, data.lastSuccess.id), executionPayload(store, data.lastSuccess.id, "input")]);
    const mine = trace.visits.map((v) => ({ ...v, durationMs: v.exitedAt === null ? null : v.exitedAt - v.enteredAt }));
    sinceLastSuccess = { id: data.lastSuccess.id, name: data.lastSuccess.name, ...changeSummary(goodVisits, mine, goodInput, ex.input) };
  }
  const budget = historyBudget(trace, events.length, { start: events[0]?.timestamp ?? 0, last: events[events.length - 1]?.timestamp ?? 0, running: ex.status === "RUNNING" });

  let content: React.ReactNode = null;
  if (tab === "timeline") {
    const layout = layoutTimeline(trace, events, { expandedMaps: expanded, failedIterationsOnly: one(sp.iter) === "failed", itemKey: one(sp.ikey), now: ex.status === "RUNNING" ? Date.now() : undefined });
    content = <Timeline rows={layout.rows} totalMs={layout.end} t0={events[0]?.timestamp ?? 0} selectedSeq={selected} failureIndex={failureRowIndex(layout.rows)} expanded={[...expanded]} />;
  } else if (tab === "graph") {
    if (machine) {
      const visitFor = visitToOpen(trace.visits);
      content = <DefinitionGraph layout={layoutDefinition(machine)} overlay={graphOverlay(trace.visits, trace.scopes.map((s) => s.visits))} selectedState={selectedVisit?.stateName ?? null} failedState={root?.stateName ?? null} visitFor={visitFor} />;
    } else content = <p className="rounded border border-dashed border-slate-300 p-6 text-sm text-slate-500 dark:border-slate-700">No definition was imported with this execution, so there is no graph. Import it with <code>bin/statelens import --definition</code> or a bundle that carries it.</p>;
  } else if (tab === "events") {
    content = <EventsTable executionId={ex.id} total={events.length} />;
  } else if (tab === "io") {
    content = (
      <div className="grid gap-4 lg:grid-cols-2">
        <JsonView title="Execution input" gated={gateJson(ex.input)} downloadHref={`/api/executions/${ex.id}/payload?field=input`} maxHeight="36rem" />
        <JsonView title={ex.output !== null ? "Execution output" : ex.error ? "Error" : "Execution output"} gated={gateJson(ex.output ?? (ex.error ? JSON.stringify({ error: ex.error, cause: ex.cause }) : null))} downloadHref={ex.output !== null ? `/api/executions/${ex.id}/payload?field=output` : undefined} maxHeight="36rem" />
      </div>
    );
  } else if (tab === "cost") {
    content = <CostLedger ledger={ledger} />;
  } else {
    content = <JsonView title={`Definition${data.versionNumber ? ` (version ${data.versionNumber})` : ""}`} gated={gateJson(ex.version?.definition ?? null)} maxHeight="40rem" />;
  }

  return (
    <div className="space-y-4">
      <ExecutionHeader ex={ex} ledger={ledger} parent={data.parent} childExecutions={data.children} versionNumber={data.versionNumber} lastSuccess={data.lastSuccess} failureHref={failureHref} root={root ? { stateName: root.stateName, error: root.error, cause: root.cause, path: root.path } : null} budget={budget} sinceLastSuccess={sinceLastSuccess} />
      {model && (model.drift || model.divergences.length > 0) && (
        <p className="rounded border border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200" data-testid="divergences">
          {model.drift ? `This history does not follow the stored definition (${model.drift.message}). ` : ""}
          {model.divergences.length} place{model.divergences.length === 1 ? "" : "s"} where the history and the definition disagree{model.divergences[0] ? ` — first: ${model.divergences[0].message}` : ""}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-1 border-b border-slate-200 dark:border-slate-800" role="tablist">
        {TABS.map((t) => (
          <Link key={t.key} role="tab" aria-selected={t.key === tab} scroll={false} href={`${base}${withParams(sp, { tab: t.key })}`} className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${t.key === tab ? "border-sky-600 font-medium text-sky-700 dark:text-sky-400" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400"}`}>
            {t.label}{t.key === "events" ? ` (${events.length.toLocaleString("en-US")})` : ""}
          </Link>
        ))}
      </div>
      <div className={`grid gap-4 ${inspector ? "xl:grid-cols-[minmax(0,1fr)_480px]" : ""}`}>
        <div className="min-w-0">{content}</div>
        {inspector && <Inspector data={inspector} executionId={ex.id} closeHref={`${base}${withParams(sp, { state: "none" })}`} modelHref={modelHref} />}
      </div>
    </div>
  );
}
