// What AWS refuses in a JSONata expression beyond its syntax. Step Functions evaluates an
// expression with no context item: the state input is `$states.input`, assigned variables are
// `$name`. So a path that starts from a bare field name, `$` or `$$` at the top level of the
// expression reads nothing, and AWS rejects the definition ("Reference to 'phone' at the top
// level is not supported"). Names inside predicates, sort terms and lambdas are relative to a
// value and are fine. `$states.errorOutput` exists only in a catcher's Output and Assign.
import jsonata from "jsonata";

export interface JsonataReferenceIssue {
  kind: "top-level-reference" | "error-output";
  /** The name as written: "phone", "$", "$$". */
  name: string;
}

interface Node {
  type?: string;
  value?: unknown;
  steps?: Node[];
  [key: string]: unknown;
}

/** Fields of an AST node that hold expressions evaluated relative to a value, never at the top. */
const RELATIVE_KEYS = new Set(["stages", "predicate", "group", "terms", "body", "focus", "index", "tuple", "pattern", "update", "delete"]);
const SKIPPED_KEYS = new Set(["position", "value", "type", "procedure", "keepArray", "consarray", "nextFunction", "thunk"]);

/**
 * The references AWS refuses in an expression body (without `{% %}`). The body must already
 * parse; `errorOutputAllowed` is true only inside a catcher's Output and Assign.
 */
export function jsonataReferenceIssues(body: string, errorOutputAllowed: boolean): JsonataReferenceIssue[] {
  let ast: Node;
  try {
    ast = jsonata(body).ast() as Node;
  } catch {
    return [];
  }
  const issues: JsonataReferenceIssue[] = [];
  const report = (issue: JsonataReferenceIssue): void => {
    if (!issues.some((i) => i.kind === issue.kind && i.name === issue.name)) issues.push(issue);
  };
  const visit = (node: unknown, topLevel: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, topLevel);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as Node;
    if (n.type === "path" && Array.isArray(n.steps)) {
      const [first, second] = n.steps;
      if (first?.type === "variable" && first.value === "states" && second?.type === "name" && second.value === "errorOutput" && !errorOutputAllowed) {
        report({ kind: "error-output", name: "$states.errorOutput" });
      }
      n.steps.forEach((step, i) => visitStep(step, topLevel && i === 0));
      return;
    }
    if (n.type === "name" && topLevel) report({ kind: "top-level-reference", name: String(n.value) });
    if (n.type === "variable" && topLevel && (n.value === "" || n.value === "$")) {
      report({ kind: "top-level-reference", name: n.value === "" ? "$" : "$$" });
    }
    if (n.type === "lambda") {
      visit(n.body, false);
      return;
    }
    for (const [key, child] of Object.entries(n)) {
      if (SKIPPED_KEYS.has(key)) continue;
      visit(child, topLevel && !RELATIVE_KEYS.has(key));
    }
  };
  const visitStep = (step: Node, topLevel: boolean): void => {
    if (step.type === "name" && topLevel) report({ kind: "top-level-reference", name: String(step.value) });
    else if (step.type === "variable" && topLevel && (step.value === "" || step.value === "$")) {
      report({ kind: "top-level-reference", name: step.value === "" ? "$" : "$$" });
    } else if (step.type !== "name" && step.type !== "variable") visit({ ...step, stages: undefined, predicate: undefined, group: undefined }, topLevel);
    for (const key of ["stages", "predicate", "group"]) visit(step[key], false);
  };
  visit(ast, true);
  return issues;
}
