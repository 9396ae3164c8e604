"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

const NAV = [
  { href: "/", label: "Overview" },
  { href: "/executions", label: "Executions" },
  { href: "/state-machines", label: "State machines" },
  { href: "/incidents", label: "Incidents" },
  { href: "/heatmaps", label: "Heatmaps" },
  { href: "/cost", label: "Cost" },
  { href: "/upload", label: "Import" },
];

/** Navigation that carries the shared time range from page to page. */
export function NavLinks() {
  const pathname = usePathname();
  const sp = useSearchParams();
  const keep = new URLSearchParams();
  for (const k of ["range", "from", "to"]) {
    const v = sp.get(k);
    if (v) keep.set(k, v);
  }
  const qs = keep.size ? `?${keep}` : "";
  return (
    <>
      {NAV.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <Link key={item.href} href={item.href === "/upload" ? item.href : `${item.href}${qs}`} className={active ? "font-medium text-slate-900 dark:text-white" : "text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"}>
            {item.label}
          </Link>
        );
      })}
    </>
  );
}
