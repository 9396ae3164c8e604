// The local ASL engine: runs a definition with lib/asl's semantics and records AWS's history.
export { startExecution, runExecution, Execution } from "./execution";
export { VirtualClock, RealClock, type Clock } from "./clock";
export { classifyResource, usesTaskToken, type TaskResource, type IntegrationPattern } from "./resources";
export { parseMockConfig, mockConfigResolver, mockedResponseFor, MockConfigError, type MockConfig, type MockedResponse } from "./mock-config";
export { handlerResolver, stateResolver, composeResolvers, waitForCallback, TaskFailure, type TaskHandler } from "./resolvers";
export { itemsFromSource, parseCsvRows } from "./item-reader";
export * from "./types";
export { checkDefinition, InvalidDefinitionError, InvalidExecutionInputError } from "./definition";
