/**
 * The JSON reporter: the whole report, with stable ids, for machines (dashboards, diffs between runs, the next
 * tool in a pipeline). Key order is the report's construction order and arrays are already sorted, so identical
 * reports serialise to identical bytes.
 */
import type { ConformanceReport } from '../run.js';

/** Serialises a report as pretty-printed JSON with a final newline. */
export function renderJson(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
