"use client";

export function ThemeToggle() {
  const toggle = () => {
    const dark = !document.documentElement.classList.contains("dark");
    document.documentElement.classList.toggle("dark", dark);
    try {
      localStorage.setItem("statelens-theme", dark ? "dark" : "light");
    } catch {
      // private mode: the choice lasts for this page only
    }
  };
  return (
    <button type="button" onClick={toggle} data-testid="theme-toggle" className="rounded border border-slate-300 px-2 py-0.5 text-slate-600 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800" title="Toggle dark/light theme">
      ◐ theme
    </button>
  );
}
