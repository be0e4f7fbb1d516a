/**
 * The server-status module (httpd's mod_status): a live view of the cross-process
 * scoreboard as an HTML page, httpd's `?auto` text, `?json`, and Prometheus metrics.
 *
 * @example
 * ```ts
 * import { createStatusHandler } from "./mod.ts";
 * // const handler = createStatusHandler(host.status, { server, readScoreboard });
 * ```
 *
 * @module
 */

export { formatAuto, formatG, statusTime, uptimeText } from "./auto_format.ts";
export { renderStatusPage } from "./html_page.ts";
export type { PageOptions } from "./html_page.ts";
export { formatMetrics, METRICS_CONTENT_TYPE, SLOT_STATE_LABELS } from "./metrics_format.ts";
export { createStatusHandler } from "./status_handler.ts";
export type { StatusContext } from "./status_handler.ts";
export { statusReport } from "./status_report.ts";
export type {
  CpuSeconds,
  ProcessRow,
  ResponseCount,
  ServerFacts,
  SlotRow,
  StatusInput,
  StatusReport,
} from "./status_report.ts";
