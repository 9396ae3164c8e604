// The execution search box: `$.orderId = "A-17"` (JSONPath equality over the input or output) or
// free text (a substring of the input, output, error or cause).
export type ExecutionSearch =
  | { kind: "jsonpath"; path: string; op: "=" | "!="; value: string | number | boolean | null }
  | { kind: "text"; text: string };

const PATH = /^\s*(\$(?:\.[A-Za-z_][\w-]*|\[\d+\]|\[["'][^"']+["']\])+)\s*(==|=|!=)\s*(.+?)\s*$/;

/** Parses the search text; null for an empty search. */
export function parseExecutionSearch(text: string | null | undefined): ExecutionSearch | null {
  const q = (text ?? "").trim();
  if (!q) return null;
  const m = PATH.exec(q);
  if (m) {
    let value: string | number | boolean | null = m[3];
    if (/^(".*"|'.*')$/.test(value)) value = value.slice(1, -1);
    else if (value === "true" || value === "false") value = value === "true";
    else if (value === "null") value = null;
    else if (/^-?\d+(\.\d+)?$/.test(value)) value = Number(value);
    return { kind: "jsonpath", path: m[1].replace(/\[["']([^"']+)["']\]/g, '."$1"'), op: m[2] === "!=" ? "!=" : "=", value };
  }
  return { kind: "text", text: q };
}
