// Map states: the item processor (ItemProcessor or the legacy Iterator), where items come from
// (ItemsPath, Items, ItemReader), how they are shaped (ItemSelector, ItemBatcher), the
// distributed-only fields, and the limits. The state machine inside is walked by validate.ts.
import type { QueryLanguage } from "./model";
import { checkExclusive, checkNumberAndPath, checkString } from "./validate-checks";
import { checkJsonataTemplate, checkPath, checkPayloadTemplate, isJsonataString } from "./validate-expressions";
import { wrongLanguageMessage } from "./validate-fields";
import { child, describeJson, has, isRecord, type JsonRecord, type Problems } from "./validate-problems";

/** Fields a Map accepts only when it runs child executions (ProcessorConfig.Mode DISTRIBUTED). */
// (AWS accepts ToleratedFailureCount/Percentage on an inline Map and ignores them.)
const DISTRIBUTED_ONLY = ["ItemReader", "ItemBatcher", "ResultWriter", "Label"];

/**
 * A Map's numeric `...Path` fields are reference paths into the input or a variable; unlike
 * ItemsPath they cannot read the context object (AWS: "Value is not a Reference Path").
 */
const NUMBER_PATH = { noContext: true };
/** AWS's cap on ReaderConfig.MaxItems. */
const MAX_ITEMS = 100_000_000;

const LABEL_MAX_LENGTH = 40;
// Whitespace, brackets, wildcards and the special characters AWS forbids in names, plus controls.
// eslint-disable-next-line no-control-regex
const LABEL_FORBIDDEN = /[\s?*<>{}[\]:;,\\^~$#%&"|`\u0000-\u001f\u007f-\u009f]/;

export function checkMapState(problems: Problems, pointer: string, state: JsonRecord, language: QueryLanguage): void {
  checkProcessor(problems, pointer, state);
  const processor = isRecord(state.ItemProcessor) ? state.ItemProcessor : state.Iterator;
  const distributed = isRecord(processor) && isRecord(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === "DISTRIBUTED";
  if (!distributed) {
    for (const field of DISTRIBUTED_ONLY) {
      if (has(state, field)) {
        problems.add(child(pointer, field), "distributed-only-field", `"${field}" works only in a distributed Map (ItemProcessor.ProcessorConfig.Mode "DISTRIBUTED"); this Map is inline`);
      }
    }
  }

  checkExclusive(problems, pointer, state, "ItemSelector", "Parameters");
  if (language === "JSONPath") {
    if (has(state, "ItemsPath") && checkString(problems, child(pointer, "ItemsPath"), "ItemsPath", state.ItemsPath)) {
      checkPath(problems, child(pointer, "ItemsPath"), "ItemsPath", state.ItemsPath, { reference: true });
    }
    // Like Parameters, ItemSelector may be any JSON value (ASL schema); objects inside are templates.
    for (const field of ["ItemSelector", "Parameters"]) {
      if (has(state, field)) checkPayloadTemplate(problems, child(pointer, field), field, state[field]);
    }
  } else {
    if (has(state, "Items")) {
      const items = state.Items;
      if (!Array.isArray(items) && !isJsonataString(items)) {
        problems.add(child(pointer, "Items"), "invalid-type", `Items must be an array or a {% %} expression, not ${describeJson(items)}`);
      } else {
        checkJsonataTemplate(problems, child(pointer, "Items"), "Items", items);
      }
    }
    if (has(state, "ItemSelector")) checkJsonataTemplate(problems, child(pointer, "ItemSelector"), "ItemSelector", state.ItemSelector);
  }

  checkNumberAndPath(problems, pointer, state, "MaxConcurrency", { integer: true, min: 0, language }, NUMBER_PATH);
  checkNumberAndPath(problems, pointer, state, "ToleratedFailurePercentage", { min: 0, max: 100, language }, NUMBER_PATH);
  checkNumberAndPath(problems, pointer, state, "ToleratedFailureCount", { integer: true, min: 0, language }, NUMBER_PATH);
  if (has(state, "Label") && checkString(problems, child(pointer, "Label"), "Label", state.Label, true)) {
    const label = state.Label as string;
    if (label.length > LABEL_MAX_LENGTH) {
      problems.add(child(pointer, "Label"), "invalid-label", `Label must be at most ${LABEL_MAX_LENGTH} characters; it has ${label.length}`);
    } else if (LABEL_FORBIDDEN.test(label)) {
      problems.add(child(pointer, "Label"), "invalid-label", `Label "${label}" contains a character AWS does not allow (whitespace, brackets, wildcards or one of : ; , \\ ^ ~ $ # % & " | \`)`);
    }
  }
  if (has(state, "ItemReader")) checkItemReader(problems, child(pointer, "ItemReader"), state.ItemReader, language);
  if (has(state, "ItemBatcher")) checkItemBatcher(problems, child(pointer, "ItemBatcher"), state.ItemBatcher, language);
  if (has(state, "ResultWriter")) checkResultWriter(problems, child(pointer, "ResultWriter"), state.ResultWriter, language);
}

function checkProcessor(problems: Problems, pointer: string, state: JsonRecord): void {
  if (!has(state, "ItemProcessor") && !has(state, "Iterator")) {
    problems.add(child(pointer, "ItemProcessor"), "missing-field", "A Map state needs an ItemProcessor: the state machine to run for each item");
    return;
  }
  checkExclusive(problems, pointer, state, "ItemProcessor", "Iterator");
  for (const field of ["ItemProcessor", "Iterator"]) {
    if (!has(state, field)) continue;
    const p = child(pointer, field);
    const processor = state[field];
    if (!isRecord(processor)) {
      problems.add(p, "invalid-type", `${field} must be an object with StartAt and States, not ${describeJson(processor)}`);
      continue;
    }
    // AWS also accepts the legacy Iterator with a ProcessorConfig.
    const allowed = ["ProcessorConfig", "StartAt", "States", "Comment"];
    for (const key of Object.keys(processor)) {
      if (!allowed.includes(key)) problems.add(child(p, key), "unknown-field", `${field} has only ${allowed.join(", ")}, not "${key}"`);
    }
    if (has(processor, "ProcessorConfig")) checkProcessorConfig(problems, child(p, "ProcessorConfig"), processor.ProcessorConfig);
  }
}

function checkProcessorConfig(problems: Problems, pointer: string, config: unknown): void {
  if (!isRecord(config)) {
    problems.add(pointer, "invalid-type", `ProcessorConfig must be an object, not ${describeJson(config)}`);
    return;
  }
  for (const key of Object.keys(config)) {
    if (key !== "Mode" && key !== "ExecutionType") problems.add(child(pointer, key), "unknown-field", `ProcessorConfig has only Mode and ExecutionType, not "${key}"`);
  }
  if (has(config, "Mode") && config.Mode !== "INLINE" && config.Mode !== "DISTRIBUTED") {
    problems.add(child(pointer, "Mode"), "invalid-value", `Mode must be "INLINE" or "DISTRIBUTED", not ${JSON.stringify(config.Mode)}`);
  }
  if (has(config, "ExecutionType") && config.ExecutionType !== "STANDARD" && config.ExecutionType !== "EXPRESS") {
    problems.add(child(pointer, "ExecutionType"), "invalid-value", `ExecutionType must be "STANDARD" or "EXPRESS", not ${JSON.stringify(config.ExecutionType)}`);
  }
  if (config.Mode === "DISTRIBUTED" && !has(config, "ExecutionType")) {
    problems.add(child(pointer, "ExecutionType"), "missing-field", `A distributed Map needs ExecutionType ("STANDARD" or "EXPRESS") for its child executions`);
  }
}

/** Parameters (JSONPath) or Arguments (JSONata) of an ItemReader or ResultWriter. */
function checkResourceArguments(problems: Problems, pointer: string, obj: JsonRecord, language: QueryLanguage): void {
  const own = language === "JSONPath" ? "Parameters" : "Arguments";
  const other = language === "JSONPath" ? "Arguments" : "Parameters";
  if (has(obj, other)) {
    problems.add(child(pointer, other), language === "JSONata" ? "field-not-allowed-in-jsonata" : "field-not-allowed-in-jsonpath", wrongLanguageMessage(other, language));
  }
  if (!has(obj, own)) return;
  const value = obj[own];
  if (language === "JSONPath") {
    if (!isRecord(value)) problems.add(child(pointer, own), "invalid-type", `${own} must be an object, not ${describeJson(value)}`);
    else checkPayloadTemplate(problems, child(pointer, own), own, value);
  } else if (!isRecord(value) && !isJsonataString(value)) {
    problems.add(child(pointer, own), "invalid-type", `${own} must be an object or a {% %} expression, not ${describeJson(value)}`);
  } else {
    checkJsonataTemplate(problems, child(pointer, own), own, value);
  }
}

function checkResource(problems: Problems, pointer: string, obj: JsonRecord, what: string, required: boolean): void {
  if (!has(obj, "Resource")) {
    if (required) problems.add(child(pointer, "Resource"), "missing-field", `${what} needs a Resource (such as arn:aws:states:::s3:getObject)`);
    return;
  }
  if (checkString(problems, child(pointer, "Resource"), "Resource", obj.Resource, true) && isJsonataString(obj.Resource)) {
    problems.add(child(pointer, "Resource"), "jsonata-not-allowed", "Resource must be a literal ARN; it cannot be a {% %} expression");
  }
}

function checkEnum(problems: Problems, pointer: string, obj: JsonRecord, field: string, values: string[]): void {
  if (has(obj, field) && !values.includes(obj[field] as string)) {
    problems.add(child(pointer, field), "invalid-value", `${field} must be one of ${values.join(", ")}, not ${JSON.stringify(obj[field])}`);
  }
}

function checkItemReader(problems: Problems, pointer: string, reader: unknown, language: QueryLanguage): void {
  if (!isRecord(reader)) {
    problems.add(pointer, "invalid-type", `ItemReader must be an object, not ${describeJson(reader)}`);
    return;
  }
  checkResource(problems, pointer, reader, "An ItemReader", true);
  checkResourceArguments(problems, pointer, reader, language);
  if (!has(reader, "ReaderConfig")) return;
  const p = child(pointer, "ReaderConfig");
  const config = reader.ReaderConfig;
  if (!isRecord(config)) {
    problems.add(p, "invalid-type", `ReaderConfig must be an object, not ${describeJson(config)}`);
    return;
  }
  checkEnum(problems, p, config, "InputType", ["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"]);
  checkEnum(problems, p, config, "CSVHeaderLocation", ["FIRST_ROW", "GIVEN"]);
  checkEnum(problems, p, config, "CSVDelimiter", ["COMMA", "PIPE", "SEMICOLON", "TAB", "SPACE"]);
  if (has(config, "CSVHeaders")) {
    const headers = config.CSVHeaders;
    if (!Array.isArray(headers) || headers.some((h) => typeof h !== "string")) {
      problems.add(child(p, "CSVHeaders"), "invalid-type", "CSVHeaders must be an array of strings");
    }
  }
  if (config.CSVHeaderLocation === "GIVEN" && !has(config, "CSVHeaders")) {
    problems.add(child(p, "CSVHeaders"), "missing-field", `CSVHeaderLocation "GIVEN" needs CSVHeaders: the column names`);
  }
  if (language === "JSONata" && has(config, "MaxItemsPath")) {
    problems.add(child(p, "MaxItemsPath"), "field-not-allowed-in-jsonata", wrongLanguageMessage("MaxItemsPath", "JSONata"));
  }
  checkNumberAndPath(problems, p, config, "MaxItems", { integer: true, min: 0, max: MAX_ITEMS, language }, NUMBER_PATH);
}

function checkItemBatcher(problems: Problems, pointer: string, batcher: unknown, language: QueryLanguage): void {
  if (!isRecord(batcher)) {
    problems.add(pointer, "invalid-type", `ItemBatcher must be an object, not ${describeJson(batcher)}`);
    return;
  }
  for (const field of ["MaxItemsPerBatch", "MaxInputBytesPerBatch"]) {
    if (language === "JSONata" && has(batcher, `${field}Path`)) {
      problems.add(child(pointer, `${field}Path`), "field-not-allowed-in-jsonata", wrongLanguageMessage(`${field}Path`, "JSONata"));
    }
    checkNumberAndPath(problems, pointer, batcher, field, { integer: true, min: 1, language }, NUMBER_PATH);
  }
  if (has(batcher, "BatchInput")) {
    if (language === "JSONPath") checkPayloadTemplate(problems, child(pointer, "BatchInput"), "BatchInput", batcher.BatchInput);
    else checkJsonataTemplate(problems, child(pointer, "BatchInput"), "BatchInput", batcher.BatchInput);
  }
}

function checkResultWriter(problems: Problems, pointer: string, writer: unknown, language: QueryLanguage): void {
  if (!isRecord(writer)) {
    problems.add(pointer, "invalid-type", `ResultWriter must be an object, not ${describeJson(writer)}`);
    return;
  }
  checkResource(problems, pointer, writer, "A ResultWriter", false);
  checkResourceArguments(problems, pointer, writer, language);
  if (!has(writer, "WriterConfig")) return;
  const p = child(pointer, "WriterConfig");
  const config = writer.WriterConfig;
  if (!isRecord(config)) {
    problems.add(p, "invalid-type", `WriterConfig must be an object, not ${describeJson(config)}`);
    return;
  }
  checkEnum(problems, p, config, "OutputType", ["JSON", "JSONL"]);
  checkEnum(problems, p, config, "Transformation", ["NONE", "FLATTEN", "COMPACT"]);
}

