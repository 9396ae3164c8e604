// The executions list's URL state, parsed with types: every filter is a deep link.
import { parseTimeRange } from "@/lib/analysis/time-range";
import { EXECUTION_SORTS, type ExecutionListFilter, type ExecutionSort } from "@/lib/store/queries/executions";
import { int, many, one, type Params } from "../_components/page-params";

export function executionFilterFrom(sp: Params, now: number): ExecutionListFilter & { rangeLabel: string } {
  const hasRange = one(sp.range) !== undefined;
  const range = parseTimeRange({ range: one(sp.range) ?? "90d", from: one(sp.from), to: one(sp.to) }, now);
  const sort = one(sp.sort);
  const visitIs = one(sp.visitIs);
  return {
    status: many(sp.status),
    stateMachine: one(sp.stateMachine),
    versionId: int(sp.version),
    from: range.from,
    to: hasRange && range.key === "custom" ? range.to : undefined,
    error: one(sp.error),
    cause: one(sp.cause),
    failedState: one(sp.failedState),
    q: one(sp.q),
    visitState: one(sp.visitState),
    visitIs: visitIs === "failed" || visitIs === "retried" || visitIs === "timeout" ? visitIs : undefined,
    parentArn: one(sp.parentArn),
    sort: EXECUTION_SORTS.includes(sort as ExecutionSort) ? (sort as ExecutionSort) : "startDate",
    dir: one(sp.dir) === "asc" ? "asc" : "desc",
    page: int(sp.page) ?? 1,
    pageSize: Math.min(200, int(sp.pageSize) ?? 50),
    rangeLabel: range.label,
  };
}
