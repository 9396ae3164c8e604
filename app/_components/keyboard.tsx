"use client";
// Global shortcuts: j/k move through rows marked data-row, Enter opens the row's link, `/` focuses
// the search box (data-search), `e` jumps to the failure (data-jump-failure), `?` shows help.
import { useEffect, useState } from "react";

const SHORTCUTS: Array<[string, string]> = [
  ["j / k", "next / previous row"],
  ["Enter", "open the selected row"],
  ["/", "focus search"],
  ["e", "jump to the failure (execution page)"],
  ["n", "next failed state (execution timeline)"],
  ["t", "toggle dark / light theme"],
  ["?", "show this help"],
  ["Esc", "close help / leave the search box"],
];

export function KeyboardShortcuts() {
  const [help, setHelp] = useState(false);
  useEffect(() => {
    let index = -1;
    const rows = () => Array.from(document.querySelectorAll<HTMLElement>("[data-row]"));
    const select = (next: number) => {
      const list = rows();
      if (!list.length) return;
      index = Math.max(0, Math.min(list.length - 1, next));
      list.forEach((r, i) => r.toggleAttribute("data-selected", i === index));
      list[index].scrollIntoView({ block: "nearest" });
    };
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
      if (e.key === "Escape") {
        setHelp(false);
        if (typing) target.blur();
        return;
      }
      if (typing || e.metaKey || e.ctrlKey || e.altKey) return;
      const current = rows().findIndex((r) => r.hasAttribute("data-selected"));
      if (current >= 0) index = current;
      if (e.key === "j") select(index + 1);
      else if (e.key === "k") select(index - 1);
      else if (e.key === "Enter" && index >= 0) {
        const row = rows()[index];
        const link = row?.matches("a") ? (row as HTMLAnchorElement) : row?.querySelector<HTMLAnchorElement>("a[href]");
        link?.click();
      } else if (e.key === "/") {
        const input = document.querySelector<HTMLInputElement>("[data-search]");
        if (input) {
          e.preventDefault();
          input.focus();
          input.select();
        }
      } else if (e.key === "e") document.querySelector<HTMLElement>("[data-jump-failure]")?.click();
      else if (e.key === "t") document.querySelector<HTMLElement>("[data-testid=theme-toggle]")?.click();
      else if (e.key === "?") setHelp((h) => !h);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  if (!help) return null;
  return (
    <div role="dialog" aria-label="Keyboard shortcuts" className="fixed inset-0 z-50 flex items-center justify-center bg-black/40" onClick={() => setHelp(false)}>
      <div className="w-80 rounded-lg border border-slate-200 bg-white p-4 shadow-xl dark:border-slate-700 dark:bg-slate-900" onClick={(e) => e.stopPropagation()}>
        <h2 className="mb-2 font-semibold">Keyboard shortcuts</h2>
        <dl className="grid grid-cols-[5rem_1fr] gap-y-1 text-sm">
          {SHORTCUTS.map(([k, d]) => (
            <div key={k} className="contents">
              <dt><kbd className="rounded border border-slate-300 px-1.5 font-mono text-xs dark:border-slate-600">{k}</kbd></dt>
              <dd>{d}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
