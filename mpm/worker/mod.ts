/**
 * The worker MPM: its policy (directives with httpd 2.4's defaults, clamping rules,
 * maintenance plan).
 *
 * @module
 */

export {
  checkWorker,
  planWorker,
  WORKER,
  WORKER_DIRECTIVES,
  WORKER_MAX_THREAD_LIMIT,
} from "./worker.ts";
export type { WorkerSettings } from "./worker.ts";
