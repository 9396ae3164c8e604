// Layout of a definition graph: states as nodes, Next/Choice/Default/Catch as edges, Parallel and
// Map as nested groups (each branch a group of its own), laid out inside-out with dagre. Positions
// are relative to the parent group, as @xyflow/react expects; parents come before children.
import dagre from "@dagrejs/dagre";

/** The parts of a (sub)machine the layout reads; lib/asl's SubMachine satisfies it. */
export interface GraphMachine {
  StartAt: string;
  States: Record<string, GraphState>;
}
export interface GraphState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: ReadonlyArray<{ Next?: string }>;
  Catch?: ReadonlyArray<{ Next: string; ErrorEquals?: readonly string[] }>;
  Branches?: readonly GraphMachine[];
  ItemProcessor?: GraphMachine;
  Iterator?: GraphMachine;
}

export interface GraphNode {
  id: string;
  kind: "state" | "group" | "branch" | "terminal";
  label: string;
  stateName?: string;
  stateType?: string;
  parentId?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export type EdgeKind = "next" | "choice" | "default" | "catch" | "start";
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label?: string;
}
export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const NODE_W = 172;
export const NODE_H = 40;
const PAD = 14;
const HEADER = 32;

export const stateNodeId = (name: string) => `s:${name}`;
export const edgeId = (from: string, to: string, kind: EdgeKind, i = 0) => `e:${from}->${to}:${kind}:${i}`;

interface Block {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

function outgoing(name: string, s: GraphState): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const from = stateNodeId(name);
  if (s.Next) edges.push({ id: edgeId(name, s.Next, "next"), source: from, target: stateNodeId(s.Next), kind: "next" });
  s.Choices?.forEach((c, i) => c.Next && edges.push({ id: edgeId(name, c.Next, "choice", i), source: from, target: stateNodeId(c.Next), kind: "choice", label: `rule ${i}` }));
  if (s.Default) edges.push({ id: edgeId(name, s.Default, "default"), source: from, target: stateNodeId(s.Default), kind: "default", label: "Default" });
  s.Catch?.forEach((c, i) => edges.push({ id: edgeId(name, c.Next, "catch", i), source: from, target: stateNodeId(c.Next), kind: "catch", label: (c.ErrorEquals ?? []).join(", ") || "catch" }));
  return edges;
}

function layoutMachine(machine: GraphMachine, withTerminals: boolean): Block {
  const blocks = new Map<string, { node: GraphNode; children: GraphNode[]; edges: GraphEdge[] }>();
  for (const [name, s] of Object.entries(machine.States)) {
    const id = stateNodeId(name);
    if (s.Type === "Parallel" && s.Branches?.length) {
      const inner = s.Branches.map((b) => layoutMachine(b, false));
      const children: GraphNode[] = [];
      const edges: GraphEdge[] = [];
      let x = PAD;
      let h = 0;
      inner.forEach((b, i) => {
        const bid = `b:${name}:${i}`;
        children.push({ id: bid, kind: "branch", label: `Branch ${i}`, parentId: id, x, y: HEADER, width: b.width + 2 * PAD, height: b.height + HEADER + PAD });
        for (const n of b.nodes) children.push(n.parentId ? n : { ...n, parentId: bid, x: n.x + PAD, y: n.y + HEADER });
        edges.push(...b.edges);
        x += b.width + 3 * PAD;
        h = Math.max(h, b.height + HEADER + PAD);
      });
      blocks.set(name, { node: { id, kind: "group", label: name, stateName: name, stateType: s.Type, x: 0, y: 0, width: x, height: h + HEADER + PAD }, children, edges });
    } else if (s.Type === "Map" && (s.ItemProcessor ?? s.Iterator)) {
      const b = layoutMachine((s.ItemProcessor ?? s.Iterator)!, false);
      const children = b.nodes.map((n) => (n.parentId ? n : { ...n, parentId: id, x: n.x + PAD, y: n.y + HEADER }));
      blocks.set(name, { node: { id, kind: "group", label: name, stateName: name, stateType: s.Type, x: 0, y: 0, width: b.width + 2 * PAD, height: b.height + HEADER + PAD }, children, edges: b.edges });
    } else {
      blocks.set(name, { node: { id, kind: "state", label: name, stateName: name, stateType: s.Type, x: 0, y: 0, width: NODE_W, height: NODE_H }, children: [], edges: [] });
    }
  }
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 28, ranksep: 40, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [, b] of blocks) g.setNode(b.node.id, { width: b.node.width, height: b.node.height });
  const edges: GraphEdge[] = [];
  for (const [name, s] of Object.entries(machine.States)) edges.push(...outgoing(name, s).filter((e) => blocks.has(e.target.slice(2))));
  const terminals: GraphNode[] = [];
  if (withTerminals) {
    terminals.push({ id: "t:start", kind: "terminal", label: "Start", x: 0, y: 0, width: 70, height: 28 }, { id: "t:end", kind: "terminal", label: "End", x: 0, y: 0, width: 70, height: 28 });
    for (const t of terminals) g.setNode(t.id, { width: t.width, height: t.height });
    edges.push({ id: "e:start", source: "t:start", target: stateNodeId(machine.StartAt), kind: "start" });
    for (const [name, s] of Object.entries(machine.States)) {
      if (s.End || s.Type === "Succeed" || s.Type === "Fail") edges.push({ id: `e:${name}->end`, source: stateNodeId(name), target: "t:end", kind: "next" });
    }
  }
  for (const e of edges) g.setEdge(e.source, e.target, {}, e.id);
  dagre.layout(g);
  let width = 0;
  let height = 0;
  const place = (n: GraphNode): GraphNode => {
    const p = g.node(n.id);
    const placed = { ...n, x: Math.round(p.x - n.width / 2), y: Math.round(p.y - n.height / 2) };
    width = Math.max(width, placed.x + n.width);
    height = Math.max(height, placed.y + n.height);
    return placed;
  };
  const nodes: GraphNode[] = [];
  for (const t of terminals) nodes.push(place(t));
  const innerEdges: GraphEdge[] = [];
  for (const [, b] of blocks) {
    nodes.push(place(b.node));
    nodes.push(...b.children);
    innerEdges.push(...b.edges);
  }
  return { nodes, edges: [...edges, ...innerEdges], width, height };
}

/** Lays out a whole definition. */
export function layoutDefinition(machine: GraphMachine): GraphLayout {
  return layoutMachine(machine, true);
}

export interface GraphOverlay {
  /** Per state name. */
  states: Record<string, { visits: number; failed: number; caught: number; retries: number }>;
  /** Per "from->to" state name pair: how often the run went that way. */
  transitions: Record<string, number>;
}

export interface VisitForOverlay {
  stateName: string;
  status: string;
  attempts: number;
}

/** Visit counts per state and the transitions taken, from visits grouped by the scope they ran in. */
export function graphOverlay(visits: readonly VisitForOverlay[], scopes: ReadonlyArray<readonly number[]>): GraphOverlay {
  const states: GraphOverlay["states"] = {};
  for (const v of visits) {
    const s = (states[v.stateName] ??= { visits: 0, failed: 0, caught: 0, retries: 0 });
    s.visits++;
    if (v.status === "FAILED") s.failed++;
    if (v.status === "CAUGHT") s.caught++;
    s.retries += Math.max(0, v.attempts - 1);
  }
  const transitions: Record<string, number> = {};
  for (const seqs of scopes) {
    for (let i = 1; i < seqs.length; i++) {
      const key = `${visits[seqs[i - 1]].stateName}->${visits[seqs[i]].stateName}`;
      transitions[key] = (transitions[key] ?? 0) + 1;
    }
  }
  return { states, transitions };
}

/** A colour ramp for per-state heat, 0..1 → pale to saturated red (hsl, readable in both themes). */
export function heatColor(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  // Stays light enough for dark text at the hot end.
  return `hsl(${Math.round(45 - 45 * f)} 90% ${Math.round(90 - 26 * f)}%)`;
}

/** A state of a definition by name, searched through branches and item processors. */
export function findState(machine: GraphMachine, name: string): GraphState | null {
  const direct = machine.States[name];
  if (direct) return direct;
  for (const s of Object.values(machine.States)) {
    for (const inner of [...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : s.Iterator ? [s.Iterator] : [])]) {
      const found = findState(inner, name);
      if (found) return found;
    }
  }
  return null;
}

/** Reads definition text into the shape the graph needs, or null when it is not a state machine. */
export function readMachine(definition: string | null | undefined): GraphMachine | null {
  if (!definition) return null;
  try {
    const raw = JSON.parse(definition) as unknown;
    if (raw && typeof raw === "object" && typeof (raw as GraphMachine).StartAt === "string" && typeof (raw as GraphMachine).States === "object") return raw as GraphMachine;
  } catch {
    // not JSON
  }
  return null;
}

/** Which visit a click on a state opens: its failed (or caught) visit if any, else its last. */
export function visitToOpen(visits: ReadonlyArray<{ seq: number; stateName: string; status: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  const settled = new Set<string>();
  for (const v of visits) {
    if (settled.has(v.stateName)) continue;
    out[v.stateName] = v.seq;
    if (v.status === "FAILED" || v.status === "CAUGHT") settled.add(v.stateName);
  }
  return out;
}
