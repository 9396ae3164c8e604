import { describe, expect, it } from "vitest";
import { validateDefinition, type ValidationCode } from "@/lib/asl/validate";

type Json = Record<string, unknown>;

/** A state machine whose StartAt is its first state. */
function machine(states: Json, top: Json = {}): Json {
  return { StartAt: Object.keys(states)[0], States: states, ...top };
}

const end = { Type: "Pass", End: true };
const step = (fields: Json = {}): Json => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", ...fields });
const task = (fields: Json = {}): Json => step({ End: true, ...fields });
const jsonata = (states: Json): Json => machine(states, { QueryLanguage: "JSONata" });
const choice = (rule: Json, extra: Json = {}): Json =>
  machine({ C: { Type: "Choice", Choices: [{ Next: "Done", ...rule }], Default: "Done", ...extra }, Done: { Type: "Succeed" } });
const branch = (states: Json): Json => ({ StartAt: Object.keys(states)[0], States: states });
const inlineMap = (fields: Json = {}): Json =>
  machine({ M: { Type: "Map", ItemProcessor: branch({ Inner: end }), End: true, ...fields } });
const distributedMap = (fields: Json = {}): Json =>
  machine({
    M: {
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, ...branch({ Inner: end }) },
      End: true,
      ...fields,
    },
  });

interface InvalidCase {
  name: string;
  definition: unknown;
  pointer: string;
  code: ValidationCode;
  /** A fragment of the expected message. */
  message?: string;
}

const invalid: InvalidCase[] = [
  // The definition itself
  { name: "a definition that is not an object", definition: [], pointer: "", code: "not-an-object", message: "must be a JSON object" },
  { name: "a missing StartAt", definition: { States: { A: end } }, pointer: "/StartAt", code: "missing-field", message: "needs StartAt" },
  { name: "missing States", definition: { StartAt: "A" }, pointer: "/States", code: "missing-field", message: "needs States" },
  { name: "States that is an array", definition: { StartAt: "A", States: [] }, pointer: "/States", code: "invalid-type" },
  { name: "an unknown top-level field", definition: machine({ A: end }, { Timeout: 5 }), pointer: "/Timeout", code: "unknown-field" },
  { name: "a Version other than 1.0", definition: machine({ A: end }, { Version: "2.0" }), pointer: "/Version", code: "invalid-value" },
  { name: "a top-level TimeoutSeconds of 0", definition: machine({ A: end }, { TimeoutSeconds: 0 }), pointer: "/TimeoutSeconds", code: "invalid-value", message: "at least 1" },
  { name: "a fractional top-level TimeoutSeconds", definition: machine({ A: end }, { TimeoutSeconds: 1.5 }), pointer: "/TimeoutSeconds", code: "invalid-value", message: "integer" },
  { name: "a top-level TimeoutSeconds given as a string", definition: machine({ A: end }, { TimeoutSeconds: "10" }), pointer: "/TimeoutSeconds", code: "invalid-type" },
  { name: "an unknown top-level QueryLanguage", definition: machine({ A: end }, { QueryLanguage: "XPath" }), pointer: "/QueryLanguage", code: "invalid-query-language" },
  { name: "a Comment that is not a string", definition: machine({ A: end }, { Comment: 1 }), pointer: "/Comment", code: "invalid-type" },

  // Transitions
  { name: "a StartAt naming no state", definition: { StartAt: "Nope", States: { A: end } }, pointer: "/StartAt", code: "dangling-start-at", message: '"Nope"' },
  { name: "a dangling Next", definition: machine({ A: { Type: "Pass", Next: "Missing" } , B: end }), pointer: "/States/A/Next", code: "dangling-next", message: '"Missing"' },
  { name: "a dangling Default", definition: machine({ C: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "D" }], Default: "Gone" }, D: end }), pointer: "/States/C/Default", code: "dangling-default" },
  { name: "a dangling Choice rule Next", definition: choice({ Variable: "$.x", IsNull: true, Next: "Gone" }), pointer: "/States/C/Choices/0/Next", code: "dangling-next" },
  { name: "a dangling catcher Next", definition: machine({ T: task({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "Gone" }] }) }), pointer: "/States/T/Catch/0/Next", code: "dangling-next" },
  { name: "an unreachable state", definition: machine({ A: end, Orphan: end }), pointer: "/States/Orphan", code: "unreachable-state", message: "never reached" },
  { name: "End together with Next", definition: machine({ A: { Type: "Pass", Next: "B", End: true }, B: end }), pointer: "/States/A/End", code: "end-with-next" },
  { name: "a state with neither Next nor End", definition: machine({ A: { Type: "Pass" } }), pointer: "/States/A", code: "missing-transition" },
  { name: "End: false without Next", definition: machine({ A: { Type: "Pass", End: false } }), pointer: "/States/A", code: "missing-transition" },
  { name: "a Succeed state with Next", definition: machine({ S: { Type: "Succeed", Next: "S" } }), pointer: "/States/S/Next", code: "transition-not-allowed" },
  { name: "a Fail state with End", definition: machine({ F: { Type: "Fail", End: true } }), pointer: "/States/F/End", code: "transition-not-allowed" },
  { name: "a Choice state with Next", definition: choice({ Variable: "$.x", IsNull: true }, { Next: "Done" }), pointer: "/States/C/Next", code: "transition-not-allowed" },
  { name: "a loop with no way out", definition: machine({ A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } }), pointer: "/States", code: "no-terminal-state" },
  { name: "a Parallel branch that jumps out", definition: machine({ P: { Type: "Parallel", Branches: [branch({ In: { Type: "Pass", Next: "After" } })], Next: "After" }, After: end }), pointer: "/States/P/Branches/0/States/In/Next", code: "transition-outside-scope", message: "Parallel state \"P\"" },
  { name: "a Map processor that jumps out", definition: machine({ M: { Type: "Map", ItemProcessor: branch({ In: { Type: "Pass", Next: "After" } }), Next: "After" }, After: end }), pointer: "/States/M/ItemProcessor/States/In/Next", code: "transition-outside-scope" },
  { name: "a state name reused inside a branch", definition: machine({ A: { Type: "Parallel", Branches: [branch({ A: end })], End: true } }), pointer: "/States/A/Branches/0/States/A", code: "duplicate-state-name", message: "already used at /States/A" },
  { name: "a state name reused in two branches", definition: machine({ P: { Type: "Parallel", Branches: [branch({ X: end }), branch({ X: end })], End: true } }), pointer: "/States/P/Branches/1/States/X", code: "duplicate-state-name" },
  { name: "a state name over 80 characters", definition: machine({ ["S".repeat(81)]: end }), pointer: `/States/${"S".repeat(81)}`, code: "state-name-too-long" },

  // State types and fields
  { name: "an unknown state Type", definition: machine({ A: { Type: "Sleep", End: true } }), pointer: "/States/A/Type", code: "invalid-state-type" },
  { name: "a state without Type", definition: machine({ A: { End: true } }), pointer: "/States/A/Type", code: "missing-field" },
  { name: "a Task without Resource", definition: machine({ T: { Type: "Task", End: true } }), pointer: "/States/T/Resource", code: "missing-field" },
  { name: "a Lambda ARN with an empty qualifier", definition: machine({ T: task({ Resource: "arn:aws:lambda:us-east-1:123456789012:function:f:" }) }), pointer: "/States/T/Resource", code: "invalid-resource", message: "qualifier" },
  { name: "a Lambda ARN with an invalid alias", definition: machine({ T: task({ Resource: "arn:aws:lambda:us-east-1:123456789012:function:f:$*#" }) }), pointer: "/States/T/Resource", code: "invalid-resource" },
  { name: "a truncated ARN", definition: machine({ T: task({ Resource: "arn:aws:states" }) }), pointer: "/States/T/Resource", code: "invalid-resource" },
  { name: "a field another state type has", definition: machine({ A: { Type: "Pass", Resource: "arn:x", End: true } }), pointer: "/States/A/Resource", code: "unknown-field", message: "Pass states" },
  { name: "a misspelt field", definition: machine({ A: { Type: "Pass", Nxt: "B" }, B: end }), pointer: "/States/A/Nxt", code: "unknown-field", message: 'did you mean "Next"?' },
  { name: "InputPath on a Fail state", definition: machine({ F: { Type: "Fail", InputPath: "$" } }), pointer: "/States/F/InputPath", code: "unknown-field" },
  { name: "Parameters in a JSONata state", definition: jsonata({ T: task({ Parameters: {} }) }), pointer: "/States/T/Parameters", code: "field-not-allowed-in-jsonata", message: "Arguments" },
  { name: "ResultPath in a JSONata state", definition: jsonata({ A: { Type: "Pass", ResultPath: "$.x", End: true } }), pointer: "/States/A/ResultPath", code: "field-not-allowed-in-jsonata" },
  { name: "ItemsPath in a JSONata Map", definition: machine({ M: { Type: "Map", QueryLanguage: "JSONata", ItemsPath: "$.items", ItemProcessor: branch({ I: end }), End: true } }), pointer: "/States/M/ItemsPath", code: "field-not-allowed-in-jsonata", message: "Items" },
  { name: "Arguments in a JSONPath state", definition: machine({ T: task({ Arguments: {} }) }), pointer: "/States/T/Arguments", code: "field-not-allowed-in-jsonpath", message: "Parameters" },
  { name: "Output in a JSONPath state", definition: machine({ A: { Type: "Pass", Output: 1, End: true } }), pointer: "/States/A/Output", code: "field-not-allowed-in-jsonpath" },
  { name: "an unknown QueryLanguage on a state", definition: machine({ A: { Type: "Pass", QueryLanguage: "jsonata", End: true } }), pointer: "/States/A/QueryLanguage", code: "invalid-query-language" },
  { name: "a JSONPath state in a JSONata machine", definition: jsonata({ A: { Type: "Pass", QueryLanguage: "JSONPath", End: true } }), pointer: "/States/A/QueryLanguage", code: "jsonpath-state-in-jsonata-machine" },
  { name: "a Task Resource given as JSONata", definition: jsonata({ T: task({ Resource: "{% $arn %}" }) }), pointer: "/States/T/Resource", code: "jsonata-not-allowed" },

  // Paths, payload templates, intrinsic functions, JSONata
  { name: "a ResultPath that is not a reference path", definition: machine({ A: { Type: "Pass", ResultPath: "$.items[*]", End: true } }), pointer: "/States/A/ResultPath", code: "invalid-reference-path", message: "reference path" },
  { name: "a ResultPath into the context object", definition: machine({ A: { Type: "Pass", ResultPath: "$$.Execution", End: true } }), pointer: "/States/A/ResultPath", code: "invalid-reference-path" },
  { name: "a ResultPath naming a variable", definition: machine({ A: { Type: "Pass", ResultPath: "$result", End: true } }), pointer: "/States/A/ResultPath", code: "invalid-reference-path" },
  { name: "an InputPath without $", definition: machine({ A: { Type: "Pass", InputPath: "input.a", End: true } }), pointer: "/States/A/InputPath", code: "invalid-path" },
  { name: "an unclosed bracket in OutputPath", definition: machine({ A: { Type: "Pass", OutputPath: "$.a[0", End: true } }), pointer: "/States/A/OutputPath", code: "invalid-path" },
  { name: "a .$ value that is neither a path nor an intrinsic", definition: machine({ A: { Type: "Pass", Parameters: { "x.$": "hello" }, End: true } }), pointer: "/States/A/Parameters/x.$", code: "invalid-path" },
  { name: "a .$ value that is not a string", definition: machine({ A: { Type: "Pass", Parameters: { nested: { "x.$": 3 } }, End: true } }), pointer: "/States/A/Parameters/nested/x.$", code: "invalid-type" },
  { name: "a payload field given with and without .$", definition: machine({ A: { Type: "Pass", Parameters: { a: 1, "a.$": "$.a" }, End: true } }), pointer: "/States/A/Parameters/a.$", code: "duplicate-payload-field" },
  { name: "an unknown intrinsic function", definition: machine({ A: { Type: "Pass", Parameters: { "x.$": "States.Concat('a', 'b')" }, End: true } }), pointer: "/States/A/Parameters/x.$", code: "invalid-intrinsic", message: "States.Concat" },
  { name: "an unclosed intrinsic call", definition: machine({ A: { Type: "Pass", Parameters: { "x.$": "States.Format('{}', $.a" }, End: true } }), pointer: "/States/A/Parameters/x.$", code: "invalid-intrinsic" },
  { name: "States.MathAdd with a string argument", definition: machine({ A: { Type: "Pass", Parameters: { "x.$": "States.MathAdd(1, '-1')" }, End: true } }), pointer: "/States/A/Parameters/x.$", code: "invalid-intrinsic", message: "must be a number" },
  { name: "States.UUID with an argument", definition: machine({ A: { Type: "Pass", Parameters: { "x.$": "States.UUID(1)" }, End: true } }), pointer: "/States/A/Parameters/x.$", code: "invalid-intrinsic", message: "takes 0 arguments" },
  { name: "States.Format with too few arguments", definition: machine({ A: { Type: "Pass", Parameters: { "x.$": "States.Format('{} and {}', $.a)" }, End: true } }), pointer: "/States/A/Parameters/x.$", code: "invalid-intrinsic", message: "2 {} placeholders" },
  { name: "an invalid path inside an intrinsic", definition: machine({ A: { Type: "Pass", Parameters: { "x.$": "States.JsonToString($.a[)" }, End: true } }), pointer: "/States/A/Parameters/x.$", code: "invalid-intrinsic", message: "$.a[" },
  { name: "an invalid JSONata expression", definition: jsonata({ A: { Type: "Pass", Output: { x: "{% $states.input. %}" }, End: true } }), pointer: "/States/A/Output/x", code: "invalid-jsonata" },
  { name: "a JSONata expression that is never closed", definition: jsonata({ A: { Type: "Pass", Output: "{% $states.input", End: true } }), pointer: "/States/A/Output", code: "invalid-jsonata", message: "%}" },
  { name: "a JSONata expression that is never opened", definition: jsonata({ A: { Type: "Pass", Output: "$states.input %}", End: true } }), pointer: "/States/A/Output", code: "invalid-jsonata", message: "{%" },
  { name: "an invalid JSONata expression nested in Assign", definition: jsonata({ A: { Type: "Pass", Assign: { top: { list: [{ c: "{% 420. %}" }] } }, End: true } }), pointer: "/States/A/Assign/top/list/0/c", code: "invalid-jsonata" },
  { name: "an empty JSONata expression", definition: jsonata({ A: { Type: "Pass", Output: "{%  %}", End: true } }), pointer: "/States/A/Output", code: "invalid-jsonata" },
  { name: "a JSONata field name read at the top level", definition: jsonata({ A: { Type: "Pass", Output: { v: "{% phone %}" }, End: true } }), pointer: "/States/A/Output/v", code: "jsonata-top-level-reference", message: "'phone'" },
  { name: "a JSONata $ read at the top level", definition: jsonata({ A: { Type: "Pass", Output: "{% $.a %}", End: true } }), pointer: "/States/A/Output", code: "jsonata-top-level-reference", message: "'$'" },
  { name: "a JSONata field name passed to a function at the top level", definition: jsonata({ A: { Type: "Pass", Output: "{% $count(items) %}", End: true } }), pointer: "/States/A/Output", code: "jsonata-top-level-reference", message: "'items'" },
  { name: "$states.errorOutput outside a catcher", definition: jsonata({ A: { Type: "Pass", Output: "{% $states.errorOutput %}", End: true } }), pointer: "/States/A/Output", code: "jsonata-error-output-unavailable" },
  { name: "Assign of the reserved name states", definition: jsonata({ A: { Type: "Pass", Assign: { states: 1 }, End: true } }), pointer: "/States/A/Assign/states", code: "invalid-value" },
  { name: "a JSONPath Assign with a bad path", definition: machine({ A: { Type: "Pass", Assign: { "v.$": "$..[" }, End: true } }), pointer: "/States/A/Assign/v.$", code: "invalid-path" },

  // Choice rules
  { name: "a Choice rule without a comparison operator", definition: choice({ Variable: "$.x" }), pointer: "/States/C/Choices/0", code: "choice-rule-operator-count", message: "has none" },
  { name: "a Choice rule with two comparison operators", definition: choice({ Variable: "$.x", StringEquals: "a", IsNull: false }), pointer: "/States/C/Choices/0", code: "choice-rule-operator-count", message: "it has 2" },
  { name: "a Choice rule without Variable", definition: choice({ NumericEquals: 1 }), pointer: "/States/C/Choices/0/Variable", code: "missing-field" },
  { name: "a Choice Variable that is an intrinsic call", definition: choice({ Variable: "States.ArrayContains($.a, 1)", BooleanEquals: true }), pointer: "/States/C/Choices/0/Variable", code: "invalid-reference-path" },
  { name: "a Choice Variable that selects many nodes", definition: choice({ Variable: "$.items[*].id", IsPresent: true }), pointer: "/States/C/Choices/0/Variable", code: "invalid-reference-path" },
  { name: "a NumericEquals with a string", definition: choice({ Variable: "$.x", NumericEquals: "1" }), pointer: "/States/C/Choices/0/NumericEquals", code: "invalid-type", message: "a number" },
  { name: "a TimestampEquals that is not a timestamp", definition: choice({ Variable: "$.x", TimestampEquals: "yesterday" }), pointer: "/States/C/Choices/0/TimestampEquals", code: "invalid-value" },
  { name: "a nested Choice rule with Next", definition: choice({ Not: { Variable: "$.x", IsNull: true, Next: "Done" } }), pointer: "/States/C/Choices/0/Not/Next", code: "unknown-field" },
  { name: "a nested rule with two operators", definition: choice({ And: [{ Variable: "$.a", IsNull: true }, { Variable: "$.b", IsNull: true, IsString: true }] }), pointer: "/States/C/Choices/0/And/1", code: "choice-rule-operator-count" },
  { name: "an empty Choices array", definition: machine({ C: { Type: "Choice", Choices: [], Default: "D" }, D: end }), pointer: "/States/C/Choices", code: "invalid-value" },
  { name: "a Choice rule without Next", definition: machine({ C: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true }], Default: "D" }, D: end }), pointer: "/States/C/Choices/0/Next", code: "missing-field" },
  { name: "a JSONata Choice rule with Variable", definition: jsonata({ C: { Type: "Choice", Choices: [{ Condition: "{% true %}", Variable: "$.x", Next: "D" }], Default: "D" }, D: end }), pointer: "/States/C/Choices/0/Variable", code: "field-not-allowed-in-jsonata" },
  { name: "a JSONata Choice rule without Condition", definition: jsonata({ C: { Type: "Choice", Choices: [{ Next: "D" }], Default: "D" }, D: end }), pointer: "/States/C/Choices/0/Condition", code: "missing-field" },

  // Retry and Catch
  { name: "a negative MaxAttempts", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: -1 }] }) }), pointer: "/States/T/Retry/0/MaxAttempts", code: "invalid-value", message: "at least 0" },
  { name: "an IntervalSeconds of 0", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 0 }] }) }), pointer: "/States/T/Retry/0/IntervalSeconds", code: "invalid-value" },
  { name: "an IntervalSeconds above 99999999", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 100_000_000 }] }) }), pointer: "/States/T/Retry/0/IntervalSeconds", code: "invalid-value" },
  { name: "a BackoffRate below 1", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"], BackoffRate: 0.5 }] }) }), pointer: "/States/T/Retry/0/BackoffRate", code: "invalid-value", message: "at least 1" },
  { name: "a MaxDelaySeconds above a year", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"], MaxDelaySeconds: 40_000_000 }] }) }), pointer: "/States/T/Retry/0/MaxDelaySeconds", code: "invalid-value" },
  { name: "an unknown JitterStrategy", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"], JitterStrategy: "HALF" }] }) }), pointer: "/States/T/Retry/0/JitterStrategy", code: "invalid-value" },
  { name: "an unknown retrier field", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"], Attempts: 2 }] }) }), pointer: "/States/T/Retry/0/Attempts", code: "unknown-field" },
  { name: "States.ALL with other error names", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL", "States.Timeout"] }] }) }), pointer: "/States/T/Retry/0/ErrorEquals", code: "states-all-not-alone" },
  { name: "a States.ALL retrier before another", definition: machine({ T: task({ Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["States.Timeout"] }] }) }), pointer: "/States/T/Retry/0/ErrorEquals", code: "states-all-not-last" },
  { name: "a States.ALL catcher before another", definition: machine({ T: task({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "H" }, { ErrorEquals: ["X"], Next: "H" }] }), H: end }), pointer: "/States/T/Catch/0/ErrorEquals", code: "states-all-not-last" },
  { name: "an empty ErrorEquals", definition: machine({ T: task({ Retry: [{ ErrorEquals: [] }] }) }), pointer: "/States/T/Retry/0/ErrorEquals", code: "invalid-value" },
  { name: "a catcher without Next", definition: machine({ T: task({ Catch: [{ ErrorEquals: ["States.ALL"] }] }) }), pointer: "/States/T/Catch/0/Next", code: "missing-field" },
  { name: "a catcher ResultPath that is not a reference path", definition: machine({ T: task({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "H", ResultPath: "$..error" }] }), H: end }), pointer: "/States/T/Catch/0/ResultPath", code: "invalid-reference-path" },

  // Task, Wait, Fail
  { name: "TimeoutSeconds with TimeoutSecondsPath", definition: machine({ T: task({ TimeoutSeconds: 5, TimeoutSecondsPath: "$.t" }) }), pointer: "/States/T/TimeoutSecondsPath", code: "mutually-exclusive-fields" },
  { name: "HeartbeatSeconds with HeartbeatSecondsPath", definition: machine({ T: task({ HeartbeatSeconds: 5, HeartbeatSecondsPath: "$.h" }) }), pointer: "/States/T/HeartbeatSecondsPath", code: "mutually-exclusive-fields" },
  { name: "HeartbeatSeconds not below TimeoutSeconds", definition: machine({ T: task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }) }), pointer: "/States/T/HeartbeatSeconds", code: "heartbeat-not-below-timeout" },
  { name: "a Task TimeoutSeconds of 0", definition: machine({ T: task({ TimeoutSeconds: 0 }) }), pointer: "/States/T/TimeoutSeconds", code: "invalid-value" },
  { name: "a TimeoutSeconds expression in a JSONPath state", definition: machine({ T: task({ TimeoutSeconds: "{% 5 %}" }) }), pointer: "/States/T/TimeoutSeconds", code: "invalid-type", message: "JSONata" },
  { name: "a TimeoutSecondsPath that is not a reference path", definition: machine({ T: task({ TimeoutSecondsPath: "$.t[*]" }) }), pointer: "/States/T/TimeoutSecondsPath", code: "invalid-reference-path" },
  { name: "Credentials that are not an object", definition: machine({ T: task({ Credentials: "role" }) }), pointer: "/States/T/Credentials", code: "invalid-type" },
  { name: "a Wait with Seconds and Timestamp", definition: machine({ W: { Type: "Wait", Seconds: 5, Timestamp: "2026-01-01T00:00:00Z", End: true } }), pointer: "/States/W/Timestamp", code: "mutually-exclusive-fields" },
  { name: "a Wait with no duration", definition: machine({ W: { Type: "Wait", End: true } }), pointer: "/States/W", code: "missing-field", message: "exactly one of" },
  { name: "a negative Wait Seconds", definition: machine({ W: { Type: "Wait", Seconds: -1, End: true } }), pointer: "/States/W/Seconds", code: "invalid-value" },
  { name: "a Wait Timestamp that is not RFC 3339", definition: machine({ W: { Type: "Wait", Timestamp: "01/02/2026", End: true } }), pointer: "/States/W/Timestamp", code: "invalid-value" },
  { name: "a Fail with Error and ErrorPath", definition: machine({ F: { Type: "Fail", Error: "E", ErrorPath: "$.e" } }), pointer: "/States/F/ErrorPath", code: "mutually-exclusive-fields" },
  { name: "a Fail with Cause and CausePath", definition: machine({ F: { Type: "Fail", Cause: "c", CausePath: "$.c" } }), pointer: "/States/F/CausePath", code: "mutually-exclusive-fields" },
  { name: "a Fail CausePath with an intrinsic it does not accept", definition: machine({ F: { Type: "Fail", CausePath: "States.ArrayLength($.list)" } }), pointer: "/States/F/CausePath", code: "invalid-intrinsic", message: "accepts only" },

  // Parallel and Map
  { name: "a Parallel with no branches", definition: machine({ P: { Type: "Parallel", Branches: [], End: true } }), pointer: "/States/P/Branches", code: "invalid-value" },
  { name: "a branch without StartAt", definition: machine({ P: { Type: "Parallel", Branches: [{ States: { B: end } }], End: true } }), pointer: "/States/P/Branches/0/StartAt", code: "missing-field" },
  { name: "a dangling StartAt in a branch", definition: machine({ P: { Type: "Parallel", Branches: [{ StartAt: "Nope", States: { B: end } }], End: true } }), pointer: "/States/P/Branches/0/StartAt", code: "dangling-start-at" },
  { name: "a Map with both Iterator and ItemProcessor", definition: inlineMap({ Iterator: branch({ Other: end }) }), pointer: "/States/M/Iterator", code: "mutually-exclusive-fields" },
  { name: "a Map without ItemProcessor", definition: machine({ M: { Type: "Map", End: true } }), pointer: "/States/M/ItemProcessor", code: "missing-field" },
  { name: "an ItemReader on an inline Map", definition: inlineMap({ ItemReader: { Resource: "arn:aws:states:::s3:getObject" } }), pointer: "/States/M/ItemReader", code: "distributed-only-field" },
  { name: "a ResultWriter on an inline Map", definition: inlineMap({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject" } }), pointer: "/States/M/ResultWriter", code: "distributed-only-field" },
  { name: "ItemSelector together with Parameters", definition: inlineMap({ ItemSelector: {}, Parameters: {} }), pointer: "/States/M/Parameters", code: "mutually-exclusive-fields" },
  { name: "a negative MaxConcurrency", definition: inlineMap({ MaxConcurrency: -1 }), pointer: "/States/M/MaxConcurrency", code: "invalid-value" },
  { name: "MaxConcurrency with MaxConcurrencyPath", definition: inlineMap({ MaxConcurrency: 1, MaxConcurrencyPath: "$.n" }), pointer: "/States/M/MaxConcurrencyPath", code: "mutually-exclusive-fields" },
  { name: "a ToleratedFailurePercentage over 100", definition: distributedMap({ ToleratedFailurePercentage: 101 }), pointer: "/States/M/ToleratedFailurePercentage", code: "invalid-value" },
  { name: "a Label over 40 characters", definition: distributedMap({ Label: "L".repeat(41) }), pointer: "/States/M/Label", code: "invalid-label" },
  { name: "a Label with a space", definition: distributedMap({ Label: "my label" }), pointer: "/States/M/Label", code: "invalid-label" },
  { name: "a distributed Map without ExecutionType", definition: machine({ M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED" }, ...branch({ I: end }) }, End: true } }), pointer: "/States/M/ItemProcessor/ProcessorConfig/ExecutionType", code: "missing-field" },
  { name: "an unknown processor Mode", definition: machine({ M: { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "REMOTE" }, ...branch({ I: end }) }, End: true } }), pointer: "/States/M/ItemProcessor/ProcessorConfig/Mode", code: "invalid-value" },
  { name: "MaxItems with MaxItemsPath", definition: distributedMap({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", MaxItems: 1, MaxItemsPath: "$.n" } } }), pointer: "/States/M/ItemReader/ReaderConfig/MaxItemsPath", code: "mutually-exclusive-fields" },
  { name: "an ItemReader without Resource", definition: distributedMap({ ItemReader: { ReaderConfig: { InputType: "JSON" } } }), pointer: "/States/M/ItemReader/Resource", code: "missing-field" },
  { name: "a MaxConcurrencyPath into the context object", definition: inlineMap({ MaxConcurrencyPath: "$$.Execution.Input.n" }), pointer: "/States/M/MaxConcurrencyPath", code: "invalid-reference-path", message: "context object" },
  { name: "a MaxItems above 100000000", definition: distributedMap({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON", MaxItems: 100_000_001 } } }), pointer: "/States/M/ItemReader/ReaderConfig/MaxItems", code: "invalid-value" },
  { name: "a MaxItemsPerBatch of 0", definition: distributedMap({ ItemBatcher: { MaxItemsPerBatch: 0 } }), pointer: "/States/M/ItemBatcher/MaxItemsPerBatch", code: "invalid-value" },
];

describe("validateDefinition reports", () => {
  it("at least 40 kinds of invalid definitions", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(40);
  });

  it.each(invalid)("$name at $pointer ($code)", ({ definition, pointer, code, message }) => {
    const problems = validateDefinition(definition);
    const match = problems.find((p) => p.pointer === pointer && p.code === code);
    expect(match, JSON.stringify(problems, null, 2)).toBeDefined();
    if (message) expect(match?.message).toContain(message);
  });
});

const valid: Array<{ name: string; definition: Json }> = [
  { name: "the smallest state machine", definition: machine({ A: end }) },
  {
    name: "a JSONPath machine using every state type",
    definition: machine(
      {
        Start: { Type: "Pass", Result: { n: 1 }, ResultPath: "$.start", Next: "Work" },
        Work: step({
          Next: "Decide",
          InputPath: "$.start",
          Parameters: { "id.$": "$.id", "ctx.$": "$$.Execution.Id", "text.$": "States.Format('{} of {}', $.a, $count)", static: { deep: [1, { "x.$": "$.x[0]" }] } },
          ResultSelector: { "body.$": "$.Payload.body", "items.$": "$.Payload.items[*].id" },
          ResultPath: "$.work",
          OutputPath: "$",
          TimeoutSecondsPath: "$.timeout",
          HeartbeatSeconds: 5,
          Credentials: { "RoleArn.$": "$.role" },
          Assign: { "count.$": "States.MathAdd($count, 1)", label: "fixed" },
          Retry: [{ ErrorEquals: ["Lambda.ServiceException"], IntervalSeconds: 2, MaxAttempts: 0, BackoffRate: 1.5, MaxDelaySeconds: 10, JitterStrategy: "FULL" }, { ErrorEquals: ["States.ALL"] }],
          Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Failed", ResultPath: "$.error" }, { ErrorEquals: ["States.ALL"], Next: "Failed", ResultPath: null }],
        }),
        Decide: {
          Type: "Choice",
          Choices: [
            { And: [{ Variable: "$.work.body", IsPresent: true }, { Not: { Variable: "$.work.body", StringMatches: "*error*" } }], Next: "Fan" },
            { Variable: "$.when", TimestampLessThanEqualsPath: "$$.Execution.StartTime", Next: "Wait", Assign: { "seen.$": "$.when" } },
            { Variable: "$count", NumericGreaterThan: 3, Next: "Done" },
          ],
          Default: "Failed",
        },
        Wait: { Type: "Wait", TimestampPath: "$.when", Next: "Fan" },
        Fan: {
          Type: "Parallel",
          Branches: [branch({ B1: { Type: "Wait", Seconds: 0, End: true } }), branch({ B2: end })],
          ResultSelector: { "first.$": "$[0]" },
          Next: "Each",
        },
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemSelector: { "value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index" },
          MaxConcurrency: 0,
          ToleratedFailureCount: 1,
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...branch({ Item: end }) },
          Next: "Done",
        },
        Done: { Type: "Succeed", OutputPath: "$.work" },
        Failed: { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "States.Format('failed: {}', $.error.Cause)" },
      },
      { Comment: "every state", TimeoutSeconds: 3600, Version: "1.0" },
    ),
  },
  {
    name: "a JSONata machine",
    definition: jsonata({
      Call: step({
        Next: "Check",
        Arguments: { FunctionName: "f", Payload: { id: "{% $states.input.id %}", list: ["{% $x %}", 1] } },
        Output: "{% $states.result.Payload %}",
        Assign: { x: "{% $states.result %}", literal: " {% not an expression %} " },
        TimeoutSeconds: "{% $states.input.timeout %}",
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Bad", Output: "{% $states.errorOutput %}", Assign: { err: "{% $states.errorOutput.Error %}" } }],
      }),
      Check: { Type: "Choice", Choices: [{ Condition: "{% $x > 1 %}", Next: "Later", Output: { ok: true } }], Default: "Bad", Assign: { y: 1 } },
      Later: { Type: "Wait", Seconds: "{% $states.input.delay %}", Next: "Each" },
      Each: {
        Type: "Map",
        Items: "{% $states.input.items %}",
        ItemSelector: { v: "{% $states.context.Map.Item.Value %}" },
        MaxConcurrency: "{% 2 %}",
        ItemProcessor: branch({ Item: { Type: "Pass", Output: "{% $states.input %}", End: true } }),
        End: true,
      },
      Bad: { Type: "Fail", Error: "{% 'E' & $x %}", Cause: "plain text" },
    }),
  },
  {
    name: "a JSONPath machine with one JSONata state",
    definition: machine({
      A: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input %}", Next: "B" },
      B: { Type: "Pass", Parameters: { "a.$": "$.a" }, End: true },
    }),
  },
  {
    name: "a distributed Map with reader, batcher and writer",
    definition: distributedMap({
      ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: ["a", "b"], MaxItems: 10 }, Parameters: { Bucket: "b", "Key.$": "$.key" } },
      ItemBatcher: { MaxItemsPerBatch: 10, MaxInputBytesPerBatchPath: "$.bytes", BatchInput: { "run.$": "$$.Execution.Name" } },
      ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "b", Prefix: "out" }, WriterConfig: { OutputType: "JSONL", Transformation: "FLATTEN" } },
      Label: "Batch-1",
      ToleratedFailurePercentage: 5.5,
      ToleratedFailureCountPath: "$.tolerated",
    }),
  },
  {
    name: "the legacy Iterator with Parameters",
    definition: machine({ M: { Type: "Map", Parameters: { "v.$": "$$.Map.Item.Value" }, Iterator: branch({ I: end }), End: true } }),
  },
  {
    name: "ToleratedFailureCount on an inline Map, which AWS accepts",
    definition: inlineMap({ ToleratedFailureCount: 0 }),
  },
  {
    name: "nested intrinsic functions and bracket paths",
    definition: machine({
      A: {
        Type: "Pass",
        Parameters: {
          "x.$": "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)",
          "y.$": "$['key with space'][0]",
          "z.$": "States.Hash($.text, 'SHA-256')",
          "u.$": "States.UUID()",
          "m.$": "States.JsonMerge($.a, $.b, false)",
          "f.$": "$.list[?(@.price < 10)]",
        },
        End: true,
      },
    }),
  },
  {
    name: "JSONata names that are relative to a value",
    definition: jsonata({
      A: {
        Type: "Pass",
        Output: {
          cheap: "{% $states.input.items[price < 10].name %}",
          mapped: "{% $map($states.input.items, function($v) { $v.price * qty }) %}",
          sorted: "{% $states.input.items^(price) %}",
          block: "{% ($total := $sum($states.input.items.price); $total > 100 ? 'big' : 'small') %}",
          grouped: "{% $states.input.items{name: price} %}",
        },
        End: true,
      },
    }),
  },
  {
    name: "Task resources: Lambda versions, aliases, $LATEST, service integrations, placeholders",
    definition: machine({
      A: step({ Resource: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", Next: "B" }),
      B: step({ Resource: "arn:aws:lambda:us-east-1:123456789012:function:f:live_2", Next: "C" }),
      C: step({ Resource: "arn:aws:states:::aws-sdk:s3:getObject", Next: "D" }),
      D: step({ Resource: "arn:aws:states:::states:startExecution.sync:2", Next: "E" }),
      E: step({ Resource: "${ProcessFunctionArn}", End: true }),
    }),
  },
  {
    name: "Parameters that are an array, as AWS accepts",
    definition: machine({ A: { Type: "Pass", Parameters: [{ "id.$": "$$.Execution.Id" }, 1], End: true } }),
  },
  {
    name: "a loop that can end through a Choice",
    definition: machine({
      Loop: { Type: "Pass", Next: "Again" },
      Again: { Type: "Choice", Choices: [{ Variable: "$.done", BooleanEquals: false, Next: "Loop" }], Default: "Stop" },
      Stop: { Type: "Succeed" },
    }),
  },
];

describe("validateDefinition accepts", () => {
  it.each(valid)("$name", ({ definition }) => {
    expect(validateDefinition(definition)).toEqual([]);
  });
});

describe("validateDefinition", () => {
  it("reports every problem at once", () => {
    const problems = validateDefinition(
      machine({ A: { Type: "Pass", Next: "Gone", End: true }, B: { Type: "Task" }, C: { Type: "Wait", Seconds: -1, End: true } }),
    );
    expect(problems.map((p) => `${p.pointer} ${p.code}`)).toEqual(
      expect.arrayContaining([
        "/States/A/End end-with-next",
        "/States/A/Next dangling-next",
        "/States/B/Resource missing-field",
        "/States/B missing-transition",
        "/States/C/Seconds invalid-value",
        "/States/B unreachable-state",
        "/States/C unreachable-state",
      ]),
    );
  });

  it("lists problems in the order they appear in the definition", () => {
    const problems = validateDefinition(machine({ A: { Type: "Pass", Next: "Gone" }, B: { Type: "Wait", End: true } }));
    expect(problems.map((p) => p.pointer)).toEqual(["/States/A/Next", "/States/B", "/States/B"]);
    expect(problems.map((p) => p.code)).toEqual(["dangling-next", "missing-field", "unreachable-state"]);
  });

  it("escapes state names in JSON Pointers", () => {
    const problems = validateDefinition(machine({ "a/b~c": { Type: "Pass", Next: "x" } , Done: end }));
    expect(problems).toContainEqual(expect.objectContaining({ pointer: "/States/a~1b~0c/Next", code: "dangling-next" }));
  });

  it("reports definitions the model parser rejects", () => {
    const problems = validateDefinition({ StartAt: "A", States: { A: "not a state" } });
    expect(problems).toContainEqual(expect.objectContaining({ pointer: "/States/A", code: "invalid-type" }));
  });
});
