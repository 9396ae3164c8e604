// The definition each execution ran with, at as few DescribeStateMachineForExecution calls as
// possible (that API refills at 1 request/s). A state machine revision is current from its
// updateDate until the next update, and executions run the revision current when they start. So
// once an execution started at S is known to have run the revision updated at U, every
// execution started in [U, S] ran it too: one call per revision instead of one per execution.

export interface ExecutionRef {
  executionArn: string;
  stateMachineArn: string;
  startDate: number;
  stateMachineVersionArn?: string;
  mapRunArn?: string;
}

export interface DefinitionAnswer {
  definition: string;
  /** the state machine ARN as Step Functions names the definition's owner (labelled for Map Run children) */
  stateMachineArn?: string;
  updateDate?: number;
  revisionId?: string;
}

interface Revision {
  from: number;
  to: number;
  definition: string;
  revisionId?: string;
}

export class DefinitionResolver {
  private revisions = new Map<string, Revision[]>();
  private byVersionArn = new Map<string, Promise<DefinitionAnswer>>();
  private byMapRun = new Map<string, Promise<DefinitionAnswer>>();
  private chains = new Map<string, Promise<unknown>>();
  /** DescribeStateMachineForExecution calls made */
  calls = 0;

  constructor(private readonly describe: (executionArn: string) => Promise<DefinitionAnswer>) {}

  private call(executionArn: string): Promise<DefinitionAnswer> {
    this.calls++;
    return this.describe(executionArn);
  }

  async forExecution(ref: ExecutionRef): Promise<DefinitionAnswer> {
    // Versions are immutable; all children of a Map Run run one definition.
    if (ref.stateMachineVersionArn) return this.memo(this.byVersionArn, ref.stateMachineVersionArn, ref.executionArn);
    if (ref.mapRunArn) return this.memo(this.byMapRun, ref.mapRunArn, ref.executionArn);
    // One resolution at a time per state machine, so each learns from the ones before it.
    const previous = this.chains.get(ref.stateMachineArn) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.resolveByRevision(ref));
    this.chains.set(ref.stateMachineArn, next);
    return next;
  }

  private memo(cache: Map<string, Promise<DefinitionAnswer>>, key: string, executionArn: string): Promise<DefinitionAnswer> {
    let found = cache.get(key);
    if (!found) {
      found = this.call(executionArn);
      cache.set(key, found);
      found.catch(() => cache.delete(key));
    }
    return found;
  }

  private async resolveByRevision(ref: ExecutionRef): Promise<DefinitionAnswer> {
    const known = this.revisions.get(ref.stateMachineArn) ?? [];
    const hit = known.find((r) => r.from <= ref.startDate && ref.startDate <= r.to);
    if (hit) return { definition: hit.definition, revisionId: hit.revisionId, updateDate: hit.from };
    const answer = await this.call(ref.executionArn);
    if (answer.updateDate !== undefined && answer.updateDate <= ref.startDate) {
      const same = known.find((r) => r.from === answer.updateDate && r.revisionId === answer.revisionId);
      if (same) same.to = Math.max(same.to, ref.startDate);
      else known.push({ from: answer.updateDate, to: ref.startDate, definition: answer.definition, revisionId: answer.revisionId });
      this.revisions.set(ref.stateMachineArn, known);
    }
    return answer;
  }
}
