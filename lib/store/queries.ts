// Read queries behind the dashboard pages. Pages call these; they never build SQL themselves.
import type { Store } from "./index";
import { loadHistory } from "./history";

export const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;

export interface ExecutionFilter {
  status?: string;
  stateMachine?: string;
  from?: Date;
  to?: Date;
  error?: string;
  page?: number;
  pageSize?: number;
}

export async function listExecutions(store: Store, filter: ExecutionFilter) {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 500);
  const page = Math.max(filter.page ?? 1, 1);
  const where = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.stateMachine ? { stateMachine: { name: filter.stateMachine } } : {}),
    ...(filter.error ? { error: filter.error } : {}),
    ...(filter.from || filter.to ? { startDate: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
  const [rows, total] = await Promise.all([
    store.prisma.execution.findMany({
      where,
      orderBy: [{ startDate: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true, arn: true, name: true, status: true, startDate: true, stopDate: true, durationMs: true,
        error: true, failedState: true, eventCount: true, transitions: true,
        stateMachine: { select: { name: true, type: true } },
      },
    }),
    store.prisma.execution.count({ where }),
  ]);
  return { rows, total, page, pageSize };
}

export async function getExecution(store: Store, id: number) {
  const execution = await store.prisma.execution.findUnique({
    where: { id },
    include: { stateMachine: true, version: { select: { id: true, hash: true, firstSeen: true, label: true } } },
  });
  if (!execution) return null;
  const [visits, events] = await Promise.all([
    store.prisma.stateVisit.findMany({ where: { executionId: id }, orderBy: { seq: "asc" } }),
    loadHistory(store.driver, id),
  ]);
  return { execution, visits, events };
}

export async function listStateMachineNames(store: Store): Promise<string[]> {
  const rows = await store.prisma.stateMachine.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return rows.map((r) => r.name);
}

export * from "./queries/executions";
export * from "./queries/execution";
export * from "./queries/overview";
export * from "./queries/machines";
export * from "./queries/heatmaps";
export * from "./queries/cost";
export * from "./queries/incidents";
