/**
 * httpd's `?auto` as scrapers know it: the fields, their order, and when some are left out.
 * Shared by the formatter's unit tests and the live server's.
 *
 * @module
 */

const TIME = /^[A-Z][a-z]+day, \d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d UTC$/;
const INTEGER = /^\d+$/;
const G = /^(\d+|\d*\.\d+)(e[+-]\d\d)?$/;

/**
 * Every field Apache httpd 2.4.71 writes in `?auto` under event, in its order (read from a
 * running one), with the form of the value mpmd writes there.
 */
export const AUTO_FIELDS: readonly [string, RegExp][] = [
  ["ServerVersion", /^mpmd\/\d+\.\d+\.\d+ \(Deno \d+\.\d+\.\d+\)$/],
  ["ServerMPM", /^(prefork|worker|event|winnt|netware|mpmt_os2)$/],
  ["Server Built", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/],
  ["CurrentTime", TIME],
  ["RestartTime", TIME],
  ["ParentServerConfigGeneration", INTEGER],
  ["ParentServerMPMGeneration", INTEGER],
  ["ServerUptimeSeconds", INTEGER],
  ["ServerUptime", /^(\d+ (day|hour|minute|second)s? ?)+$/],
  ["Load1", /^\d+\.\d\d$/],
  ["Load5", /^\d+\.\d\d$/],
  ["Load15", /^\d+\.\d\d$/],
  ["Total Accesses", INTEGER],
  ["Total kBytes", INTEGER],
  ["Total Duration", INTEGER],
  ["CPUUser", G],
  ["CPUSystem", G],
  ["CPUChildrenUser", G],
  ["CPUChildrenSystem", G],
  ["CPULoad", G],
  ["Uptime", INTEGER],
  ["ReqPerSec", G],
  ["BytesPerSec", G],
  ["BytesPerReq", G],
  ["DurationPerReq", G],
  ["BusyWorkers", INTEGER],
  ["GracefulWorkers", INTEGER],
  ["IdleWorkers", INTEGER],
  ["Processes", INTEGER],
  ["Stopping", INTEGER],
  ["ConnsTotal", INTEGER],
  ["ConnsAsyncWaitIO", /^0$/],
  ["ConnsAsyncWriting", /^0$/],
  ["ConnsAsyncKeepAlive", INTEGER],
  ["ConnsAsyncClosing", /^0$/],
  ["Scoreboard", /^[_SRWKDCLGI.]+$/],
];
/**
 * mpmd's own fields, after httpd's Scoreboard line (where httpd's mod_ssl adds its own):
 * TLS handshakes and requests by protocol.
 */
export const MPMD_AUTO_FIELDS: readonly (readonly [string, RegExp])[] = [
  ["TLSHandshakes", INTEGER],
  ["TLSHandshakeFailures", INTEGER],
  ["TLSHandshakeFailuresVersion", INTEGER],
  ["TLSHandshakeFailuresNotTLS", INTEGER],
  ["TLSHandshakeFailuresTimeout", INTEGER],
  ["TLSHandshakeFailuresOther", INTEGER],
  ["RequestsHTTP10", INTEGER],
  ["RequestsHTTP11", INTEGER],
  ["RequestsHTTP2", INTEGER],
];
/** Fields httpd writes only under conditions: after a request, with CPU time, under event. */
export const CONDITIONAL_FIELDS = new Set([
  "CPULoad",
  "BytesPerReq",
  "DurationPerReq",
  "Processes",
  "Stopping",
  "ConnsTotal",
  "ConnsAsyncWaitIO",
  "ConnsAsyncWriting",
  "ConnsAsyncKeepAlive",
  "ConnsAsyncClosing",
]);
