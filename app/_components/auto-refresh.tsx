"use client";
// Re-renders the page every few seconds while something it shows is still running.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function AutoRefresh({ seconds = 5 }: { seconds?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [router, seconds]);
  return <span className="text-xs text-sky-700 dark:text-sky-400" title={`This execution is running: the page refreshes every ${seconds} s`}>● live</span>;
}
