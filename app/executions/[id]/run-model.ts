// The run model (lib/reconstruct) behind the state inspector, cached per execution and history
// length: reconstructing a 25,000-event run takes about a second, so large runs are reconstructed
// only on request (`model=1`).
import type { HistoryEvent } from "@/lib/history";
import { reconstructRun, type ExecutionFacts, type RunModel } from "@/lib/reconstruct";

export const RECONSTRUCT_EAGER_EVENTS = 5_000;
const CACHE_SIZE = 8;
const cache = new Map<string, Promise<RunModel | null>>();

export function runModelFor(key: string, definition: string, events: readonly HistoryEvent[], facts: ExecutionFacts): Promise<RunModel | null> {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  // A definition the reconstruction cannot read leaves the inspector with what the history records.
  const model = reconstructRun(definition, events, { execution: facts, definitionText: definition }).catch(() => null);
  cache.set(key, model);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return model;
}
