// Which fields each state type accepts, and in which query language. The source is AWS's
// developer guide (state pages, "Transforming data with JSONata") and the ASL JSON schema of
// aws/amazon-states-language-service.
import type { QueryLanguage, StateType } from "./model";

/** The query language a field belongs to; "both" for fields every state of the type accepts. */
export type FieldLanguage = QueryLanguage | "both";

const COMMON = { Type: "both", Comment: "both", QueryLanguage: "both" } as const;
const TRANSITION = { Next: "both", End: "both" } as const;
const INPUT_OUTPUT = { InputPath: "JSONPath", OutputPath: "JSONPath", Output: "JSONata" } as const;
const RESULT = { ResultPath: "JSONPath", ResultSelector: "JSONPath" } as const;
const ERROR_HANDLING = { Retry: "both", Catch: "both" } as const;

export const STATE_FIELDS: Record<StateType, Readonly<Record<string, FieldLanguage>>> = {
  Pass: {
    ...COMMON, ...TRANSITION, ...INPUT_OUTPUT,
    ResultPath: "JSONPath", Parameters: "JSONPath", Result: "JSONPath", Assign: "both",
  },
  Task: {
    ...COMMON, ...TRANSITION, ...INPUT_OUTPUT, ...RESULT, ...ERROR_HANDLING,
    Resource: "both", Parameters: "JSONPath", Arguments: "JSONata", Assign: "both", Credentials: "both",
    TimeoutSeconds: "both", TimeoutSecondsPath: "JSONPath", HeartbeatSeconds: "both", HeartbeatSecondsPath: "JSONPath",
  },
  Choice: {
    ...COMMON, ...INPUT_OUTPUT,
    Choices: "both", Default: "both", Assign: "both",
  },
  Wait: {
    ...COMMON, ...TRANSITION, ...INPUT_OUTPUT,
    Seconds: "both", SecondsPath: "JSONPath", Timestamp: "both", TimestampPath: "JSONPath", Assign: "both",
  },
  Succeed: { ...COMMON, ...INPUT_OUTPUT },
  Fail: {
    ...COMMON,
    Error: "both", ErrorPath: "JSONPath", Cause: "both", CausePath: "JSONPath",
  },
  Parallel: {
    ...COMMON, ...TRANSITION, ...INPUT_OUTPUT, ...RESULT, ...ERROR_HANDLING,
    Branches: "both", Parameters: "JSONPath", Arguments: "JSONata", Assign: "both",
  },
  Map: {
    ...COMMON, ...TRANSITION, ...INPUT_OUTPUT, ...RESULT, ...ERROR_HANDLING,
    ItemProcessor: "both", Iterator: "both", ItemsPath: "JSONPath", Items: "JSONata", ItemSelector: "both",
    Parameters: "JSONPath", ItemReader: "both", ItemBatcher: "both", ResultWriter: "both", Assign: "both",
    MaxConcurrency: "both", MaxConcurrencyPath: "JSONPath",
    ToleratedFailurePercentage: "both", ToleratedFailurePercentagePath: "JSONPath",
    ToleratedFailureCount: "both", ToleratedFailureCountPath: "JSONPath",
    Label: "both",
  },
};

/** What a JSONata state uses instead of a JSONPath-only field. */
export const JSONATA_REPLACEMENT: Readonly<Record<string, string>> = {
  InputPath: "Arguments or Output with $states.input",
  OutputPath: "Output",
  Parameters: "Arguments",
  ResultSelector: "Output with $states.result",
  ResultPath: "Output or Assign",
  Result: "Output",
  TimeoutSecondsPath: "TimeoutSeconds with a {% %} expression",
  HeartbeatSecondsPath: "HeartbeatSeconds with a {% %} expression",
  SecondsPath: "Seconds with a {% %} expression",
  TimestampPath: "Timestamp with a {% %} expression",
  ItemsPath: "Items",
  MaxConcurrencyPath: "MaxConcurrency with a {% %} expression",
  ToleratedFailurePercentagePath: "ToleratedFailurePercentage with a {% %} expression",
  ToleratedFailureCountPath: "ToleratedFailureCount with a {% %} expression",
  ErrorPath: "Error with a {% %} expression",
  CausePath: "Cause with a {% %} expression",
  MaxItemsPath: "MaxItems with a {% %} expression",
  MaxItemsPerBatchPath: "MaxItemsPerBatch with a {% %} expression",
  MaxInputBytesPerBatchPath: "MaxInputBytesPerBatch with a {% %} expression",
};

/** What a JSONPath state uses instead of a JSONata-only field. */
export const JSONPATH_REPLACEMENT: Readonly<Record<string, string>> = {
  Arguments: "Parameters",
  Output: "OutputPath or ResultSelector",
  Items: "ItemsPath",
  Condition: "Variable and a comparison operator",
};

/** Reports the message for a field that belongs to the other query language. */
export function wrongLanguageMessage(field: string, language: QueryLanguage): string {
  if (language === "JSONata") {
    const use = JSONATA_REPLACEMENT[field];
    return `"${field}" is a JSONPath field; this state uses JSONata${use ? `, where ${use} does its job` : ""}`;
  }
  const use = JSONPATH_REPLACEMENT[field];
  return `"${field}" is a JSONata field; this state uses JSONPath${use ? `, where ${use} does its job` : ""} (set "QueryLanguage": "JSONata" to use it)`;
}
