"use client";
// The definition graph with this run on it: states visited (with counts), the transitions taken,
// the failing state in red. Clicking a state opens it in the inspector.
import { Background, Controls, type Edge, Handle, MarkerType, type Node, type NodeProps, Position, ReactFlow } from "@xyflow/react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import type { GraphLayout, GraphOverlay } from "@/lib/analysis/graph-layout";

export interface StateNodeData extends Record<string, unknown> {
  label: string;
  stateType?: string;
  visits: number;
  retries: number;
  failed: boolean;
  caught: boolean;
  selected: boolean;
  kind: string;
  /** Optional heat: background colour and a caption (state machine page). */
  heat?: string;
  caption?: string;
}

function StateNode({ data }: NodeProps<Node<StateNodeData>>) {
  const visited = data.visits > 0;
  const border = data.failed ? "border-red-600 ring-2 ring-red-500/60" : data.caught ? "border-orange-500" : visited ? "border-sky-600" : data.heat ? "border-slate-400" : "border-slate-300 border-dashed dark:border-slate-700";
  return (
    <div className={`h-full w-full rounded-md border-2 px-2 py-1 text-xs ${border} ${data.selected ? "outline outline-2 outline-offset-2 outline-sky-400" : ""} ${visited || data.heat ? "" : "opacity-60"}`} style={{ background: data.heat ?? (data.failed ? "rgb(254 226 226)" : visited ? "rgb(224 242 254)" : undefined), color: data.heat || data.failed || visited ? "#0f172a" : undefined }} data-testid={`graph-node-${data.label}`} data-failed={data.failed || undefined}>
      <Handle type="target" position={Position.Top} className="!h-1 !w-1 !min-w-0 !border-0 !bg-slate-400" />
      <div className="flex items-center justify-between gap-1">
        <span className="truncate font-medium">{data.label}</span>
        {visited && <span className="rounded bg-white/70 px-1 text-[10px]">×{data.visits}</span>}
      </div>
      <div className="flex gap-1 text-[10px] opacity-70">
        <span>{data.stateType}</span>
        {data.retries > 0 && <span className="text-amber-700">· {data.retries} retries</span>}
        {data.caption && <span>· {data.caption}</span>}
      </div>
      <Handle type="source" position={Position.Bottom} className="!h-1 !w-1 !min-w-0 !border-0 !bg-slate-400" />
    </div>
  );
}

function GroupNode({ data }: NodeProps<Node<StateNodeData>>) {
  return (
    <div className={`h-full w-full rounded-lg border-2 ${data.failed ? "border-red-500" : data.kind === "branch" ? "border-dotted border-slate-300 dark:border-slate-700" : "border-slate-400 dark:border-slate-600"} ${data.selected ? "outline outline-2 outline-sky-400" : ""}`} style={{ background: data.heat ? `${data.heat}` : data.kind === "branch" ? "transparent" : "rgb(148 163 184 / 0.08)" }} data-testid={`graph-node-${data.label}`}>
      <Handle type="target" position={Position.Top} className="!h-1 !w-1 !min-w-0 !border-0 !bg-slate-400" />
      <div className="flex items-center gap-1 px-2 py-0.5 text-[11px] font-medium" style={{ color: data.heat ? "#0f172a" : undefined }}>
        <span>{data.label}</span>
        {data.stateType && <span className="font-normal opacity-70">{data.stateType}</span>}
        {data.visits > 0 && <span className="rounded bg-white/70 px-1 text-[10px] text-slate-800">×{data.visits}</span>}
        {data.caption && <span className="font-normal opacity-80">· {data.caption}</span>}
      </div>
      <Handle type="source" position={Position.Bottom} className="!h-1 !w-1 !min-w-0 !border-0 !bg-slate-400" />
    </div>
  );
}

function TerminalNode({ data }: NodeProps<Node<StateNodeData>>) {
  return (
    <div className="flex h-full w-full items-center justify-center rounded-full border border-slate-400 bg-slate-100 text-[11px] text-slate-700 dark:bg-slate-800 dark:text-slate-200">
      <Handle type="target" position={Position.Top} className="!opacity-0" />
      {data.label}
      <Handle type="source" position={Position.Bottom} className="!opacity-0" />
    </div>
  );
}

// Not "group": that name brings @xyflow/react's own group styling (a second border).
const nodeTypes = { state: StateNode, container: GroupNode, branch: GroupNode, terminal: TerminalNode };
const nodeType = (kind: string) => (kind === "group" ? "container" : kind);

export interface GraphProps {
  layout: GraphLayout;
  overlay: GraphOverlay | null;
  selectedState: string | null;
  failedState: string | null;
  /** Which visit a click on a state opens (execution page); absent on the state machine page. */
  visitFor?: Record<string, number>;
  heat?: Record<string, { color: string; caption: string }>;
  height?: number;
}

export function DefinitionGraph({ layout, overlay, selectedState, failedState, visitFor, heat, height = 620 }: GraphProps) {
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const { nodes, edges } = useMemo(() => {
    const nodes: Node<StateNodeData>[] = layout.nodes.map((n) => {
      const s = n.stateName ? overlay?.states[n.stateName] : undefined;
      return {
        id: n.id, type: nodeType(n.kind), position: { x: n.x, y: n.y }, ...(n.parentId ? { parentId: n.parentId, extent: "parent" as const } : {}),
        style: { width: n.width, height: n.height }, draggable: false, selectable: n.kind !== "terminal", zIndex: n.kind === "state" ? 2 : 0,
        data: {
          label: n.label, stateType: n.stateType, kind: n.kind, visits: s?.visits ?? 0, retries: s?.retries ?? 0, failed: !!n.stateName && n.stateName === failedState, caught: (s?.caught ?? 0) > 0,
          selected: !!n.stateName && n.stateName === selectedState, heat: n.stateName ? heat?.[n.stateName]?.color : undefined, caption: n.stateName ? heat?.[n.stateName]?.caption : undefined,
        },
      };
    });
    const edges: Edge[] = layout.edges.map((e) => {
      const from = e.source.slice(2);
      const to = e.target.slice(2);
      const taken = overlay ? (e.kind === "start" ? (overlay.states[to]?.visits ?? 0) > 0 : e.target === "t:end" ? (overlay.states[from]?.visits ?? 0) > 0 : (overlay.transitions[`${from}->${to}`] ?? 0)) : 0;
      const color = !overlay ? "#64748b" : taken ? (e.kind === "catch" ? "#f97316" : "#0284c7") : "#94a3b8";
      return {
        id: e.id, source: e.source, target: e.target, zIndex: 1,
        label: e.kind === "catch" || e.kind === "choice" || e.kind === "default" ? `${e.label ?? ""}${taken && typeof taken === "number" && taken > 1 ? ` ×${taken}` : ""}` : typeof taken === "number" && taken > 1 ? `×${taken}` : undefined,
        labelStyle: { fontSize: 10 }, labelBgStyle: { fillOpacity: 0.8 },
        style: { stroke: color, strokeWidth: taken ? 2.5 : 1.2, strokeDasharray: e.kind === "catch" || (overlay && !taken) ? "5 4" : undefined },
        markerEnd: { type: MarkerType.ArrowClosed, color, width: 14, height: 14 },
      };
    });
    return { nodes, edges };
  }, [layout, overlay, selectedState, failedState, heat]);
  return (
    <div className="rounded border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" style={{ height }} data-testid="graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ maxZoom: 1.1, padding: 0.1 }}
        minZoom={0.1}
        nodesConnectable={false}
        nodesDraggable={false}
        onNodeClick={(_, node) => {
          const name = node.data.label;
          if (!visitFor || node.type === "terminal" || node.type === "branch") return;
          const seq = visitFor[name];
          if (seq === undefined) return;
          const next = new URLSearchParams(sp.toString());
          next.set("state", String(seq));
          router.replace(`${pathname}?${next}`, { scroll: false });
        }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
