// The implementation of `statelens validate` (options and help: bin/commands/validate.ts, which
// loads this module only when the command runs): reads an ASL definition file and prints every
// problem lib/asl finds in it. Exit 0 = valid, 1 = problems, 2 = the file cannot be read or is not JSON.
import fs from "node:fs";
import { allStates, parseDefinition } from "@/lib/asl/model";
import { validateDefinition } from "@/lib/asl/validate";
import { CliError, printJson } from "../commands/util";

export interface ValidateOptions {
  json?: boolean;
}

/** The action of `statelens validate` (options and help: bin/commands/validate.ts). */
export function validateAction(file: string, options: ValidateOptions): void {
  const raw = readDefinition(file);
  const problems = validateDefinition(raw);
  if (options.json) {
    printJson({ valid: problems.length === 0, problems });
  } else if (problems.length === 0) {
    const count = stateCount(raw);
    process.stdout.write(count === null ? "valid\n" : `valid (${count} state${count === 1 ? "" : "s"})\n`);
  } else {
    for (const p of problems) process.stdout.write(`${p.pointer === "" ? "(definition)" : p.pointer}: ${p.message}\n`);
    process.stderr.write(`${problems.length} problem${problems.length === 1 ? "" : "s"} in ${file}\n`);
  }
  if (problems.length > 0) process.exitCode = 1;
}

function readDefinition(file: string): unknown {
  let text: string;
  try {
    // A byte order mark (as some Windows editors write) is not part of the JSON text.
    text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, 2);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text, (err as Error).message);
    const { line, column } = lineAndColumn(text, offset);
    throw new CliError(`${file} is not valid JSON: line ${line}, column ${column} (position ${offset}): ${(err as Error).message}`, 2);
  }
}

/**
 * Where JSON.parse gave up. V8 names the position in most messages ("... in JSON at position 12");
 * for the others ("Unexpected token 'x', ... is not valid JSON") the position is found as the
 * length of the longest prefix that is still the start of a JSON text.
 */
function jsonErrorOffset(text: string, message: string): number {
  const stated = /at position (\d+)/.exec(message);
  if (stated) return Number(stated[1]);
  const viable = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (e) {
      const m = (e as Error).message;
      const at = /at position (\d+)/.exec(m);
      return m.startsWith("Unexpected end of JSON input") || (at !== null && Number(at[1]) >= length);
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (viable(mid)) low = mid;
    else high = mid - 1;
  }
  return Math.min(low, Math.max(text.length - 1, 0));
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The number of states, nested ones included; null if the model cannot be built. */
function stateCount(raw: unknown): number | null {
  try {
    return [...allStates(parseDefinition(raw))].length;
  } catch {
    return null;
  }
}
