import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { KeyboardShortcuts } from "./_components/keyboard";
import { NavLinks } from "./_components/nav-links";
import { ThemeToggle } from "./_components/theme-toggle";
import "./globals.css";

export const metadata: Metadata = {
  title: "statelens",
  description: "Observability for AWS Step Functions execution histories",
};

// Applied before paint so a dark-theme user never sees a white flash.
const THEME_SCRIPT = `try{var t=localStorage.getItem("statelens-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur dark:border-slate-800 dark:bg-slate-900/95">
          <nav className="mx-auto flex max-w-[1600px] items-center gap-5 px-4 py-2.5 text-sm">
            <Link href="/" className="font-semibold tracking-tight text-sky-700 dark:text-sky-400">statelens</Link>
            <Suspense fallback={null}><NavLinks /></Suspense>
            <span className="ml-auto flex items-center gap-3 text-xs text-slate-500">
              <kbd className="rounded border border-slate-300 px-1 dark:border-slate-700">?</kbd> shortcuts
              <ThemeToggle />
            </span>
          </nav>
        </header>
        <main className="mx-auto max-w-[1600px] px-4 py-5">{children}</main>
        <KeyboardShortcuts />
      </body>
    </html>
  );
}
