import { STATUS_STYLES } from "./lib-format";

export function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[status] ?? STATUS_STYLES.ABORTED}`}>{status}</span>;
}
