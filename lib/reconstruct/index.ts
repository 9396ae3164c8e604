// definition + history -> run model, explanations, divergences (see README.md).
export * from "./visits";
export * from "./model";
export * from "./reconstruct";
export * from "./billing";
export * from "./format";
export * from "./mocks";
export { jsonEquals, unknownMarker, displayUnknowns } from "./compare";
export type { ExecutionFacts } from "./context";
