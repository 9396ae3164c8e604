// Distributed Map ItemReader: turns what the injected ItemSource returned (an S3 object's text,
// or an object listing) into items, per ReaderConfig (InputType JSON | JSONL | CSV, CSV headers
// and delimiter, MaxItems). Written here because lib/asl has no ItemReader content parsing;
// the expression parts (Parameters, MaxItemsPath) are evaluated with lib/asl.
import type { Json } from "../history/types";
import type { ReaderConfig } from "../asl/model";
import { StatesError, STATES_ERRORS } from "../asl/errors";

const DELIMITERS: Record<string, string> = { COMMA: ",", PIPE: "|", SEMICOLON: ";", TAB: "\t", SPACE: " " };

function readerFailed(cause: string): StatesError {
  return new StatesError(STATES_ERRORS.ItemReaderFailed, cause);
}

/** Splits CSV text into rows of fields (RFC 4180 quoting). */
export function parseCsvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** Items from an object's content (or a listing, for listObjectsV2). */
export function itemsFromSource(content: string | Json[], config: ReaderConfig | undefined, maxItems?: number): Json[] {
  let items: Json[];
  if (Array.isArray(content)) items = content;
  else {
    const type = config?.InputType ?? "JSON";
    if (type === "JSON") {
      let parsed: Json;
      try {
        parsed = JSON.parse(content) as Json;
      } catch (e) {
        throw readerFailed(`The item reader could not parse the JSON content: ${(e as Error).message}`);
      }
      if (!Array.isArray(parsed)) throw readerFailed("Attempting to map over non-iterable node.");
      items = parsed;
    } else if (type === "JSONL") {
      items = content
        .split(/\r?\n/)
        .filter((line) => line.trim() !== "")
        .map((line) => {
          try {
            return JSON.parse(line) as Json;
          } catch (e) {
            throw readerFailed(`The item reader could not parse a JSONL line: ${(e as Error).message}`);
          }
        });
    } else if (type === "CSV") {
      const rows = parseCsvRows(content, DELIMITERS[config?.CSVDelimiter ?? "COMMA"] ?? ",");
      let headers: string[];
      if ((config?.CSVHeaderLocation ?? "FIRST_ROW") === "GIVEN") headers = config?.CSVHeaders ?? [];
      else headers = rows.shift() ?? [];
      if (new Set(headers).size !== headers.length) throw readerFailed("CSV headers cannot contain duplicates.");
      items = rows.map((row) => {
        const item: Record<string, Json> = {};
        headers.forEach((h, i) => (item[h] = row[i] ?? ""));
        return item;
      });
    } else {
      throw readerFailed(`InputType ${type} is not supported by the local engine.`);
    }
  }
  return maxItems !== undefined && maxItems > 0 ? items.slice(0, maxItems) : items;
}
