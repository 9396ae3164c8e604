"use client";
// Recharts wrappers used by the overview and cost pages (data comes in ready to draw).
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface StackedBarsProps {
  data: Array<Record<string, number | string>>;
  series: Array<{ key: string; color: string; label?: string }>;
  /** Key of the x value (epoch ms). */
  x: string;
  bucketMs: number;
  height?: number;
  valueFormat?: "int" | "dollars";
  /** Clicking a bar opens `${path}?range=custom&from=..&to=..&${param}=<series key>` plus `extra`. */
  drill?: { path: string; param: string; extra?: string };
}

const fmtTick = (t: number, bucketMs: number) => {
  const iso = new Date(t).toISOString();
  return bucketMs >= 86_400_000 ? iso.slice(5, 10) : iso.slice(5, 16).replace("T", " ");
};

export function StackedBars({ data, series, x, bucketMs, height = 260, valueFormat = "int", drill }: StackedBarsProps) {
  const router = useRouter();
  const open = (bucket: number, key: string) => {
    if (!drill) return;
    const q = new URLSearchParams({ range: "custom", from: new Date(bucket).toISOString(), to: new Date(bucket + bucketMs).toISOString(), [drill.param]: key });
    router.push(`${drill.path}?${q}${drill.extra ? `&${drill.extra}` : ""}`);
  };
  const fmt = (v: number) => (valueFormat === "dollars" ? `$${v.toFixed(v < 1 ? 4 : 2)}` : v.toLocaleString("en-US"));
  return (
    <div style={{ height }} data-testid="chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#94a3b833" vertical={false} />
          <XAxis dataKey={x} tickFormatter={(t: number) => fmtTick(t, bucketMs)} fontSize={10} stroke="#64748b" minTickGap={24} />
          <YAxis fontSize={10} stroke="#64748b" width={48} tickFormatter={(v: number) => fmt(v)} />
          <Tooltip labelFormatter={(t) => `${new Date(Number(t)).toISOString().slice(0, 16).replace("T", " ")} UTC`} formatter={(v) => fmt(Number(v))} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.label ?? s.key} stackId="a" fill={s.color} isAnimationActive={false} cursor={drill ? "pointer" : undefined} onClick={(d: { payload?: Record<string, number> }) => d.payload && open(Number(d.payload[x]), s.key)} />)}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
