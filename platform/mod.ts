/**
 * What this OS offers, and the decisions that depend only on that; how this program
 * starts itself again as a child, and the message pipe between parent and child.
 *
 * @example
 * ```ts
 * import { detectCapabilities } from "./mod.ts";
 * const { threads, poller } = detectCapabilities();
 * ```
 *
 * @example
 * ```ts
 * import { selfCommand, spawnChild } from "./platform/mod.ts";
 * const child = spawnChild(selfCommand(["--child"]));
 * await child.send({ generation: 1 });
 * for await (const message of child.messages) console.error(message);
 * ```
 *
 * @module
 */

export { detectCapabilities } from "./capabilities.ts";
export type { PlatformCapabilities } from "./capabilities.ts";
export { stopActionOf, watchStopSignals } from "./stop_signals.ts";
export { type FileWatch, WATCHED_EXTENSIONS, watchFiles } from "./watch_files.ts";
export type { WatchFilesOptions } from "./watch_files.ts";
export type {
  StopAction,
  StopRequest,
  StopSignal,
  StopSignals,
  StopState,
} from "./stop_signals.ts";
export {
  buildSelfCommand,
  DENO_CONFIG_ENV,
  DENO_LOCK_ENV,
  DENO_PERMISSIONS,
  readSelfFacts,
  selfCommand,
} from "./self_command.ts";
export { replaceProcess } from "./replace_process.ts";
export type { DenoPermission, SelfCommand, SelfFacts } from "./self_command.ts";
export { connectToParent, spawnChild, stdoutPathForChildren } from "./child_process.ts";
export type { ChildHandle, ParentChannel, SpawnChildOptions } from "./child_process.ts";
export { MessageFormatError } from "./message_format_error.ts";
export { parseProcessCpu, PROC_TICKS_PER_SECOND, readProcessCpu } from "./process_cpu.ts";
export type { ProcessCpu } from "./process_cpu.ts";
export { parseResidentBytes, readResidentBytes } from "./process_memory.ts";
export {
  closeListenSocket,
  DEFAULT_LISTEN_BACKLOG,
  type ListenSocket,
  openListenSocket,
  setInheritable,
  setNoDelay,
} from "./listen_socket.ts";
export {
  type AcceptedSocket,
  probeSharedAccept,
  SocketAcceptor,
  type SocketAcceptorOptions,
  WOKEN,
} from "./socket_acceptor.ts";
export {
  defaultPidFilePath,
  isProcessAlive,
  PidFileError,
  pidFileFor,
  readPidFile,
  removePidFile,
  waitForExit,
  writePidFile,
} from "./pid_file.ts";
export type { PidFileFacts } from "./pid_file.ts";
export { openFailure, whyNotWritable } from "./writable_file.ts";
export {
  alreadyRunning,
  CONTROL_SIGNALS,
  CONTROL_VERBS,
  isControlVerb,
  planControl,
  signalServer,
} from "./control.ts";
export type {
  ControlPlan,
  ControlResult,
  ControlVerb,
  ServerStatus,
  SignalVerb,
} from "./control.ts";
export { DEFAULT_READY_TIMEOUT_MS, ServerStartError, startDetached } from "./start_detached.ts";
export type { DetachedServer, StartDetachedOptions } from "./start_detached.ts";
export {
  type Account,
  findGroup,
  findUser,
  type GroupEntry,
  groupsOf,
  lookupGroup,
  lookupUser,
  parseGroups,
  parsePasswd,
} from "./accounts.ts";
export { dropPrivileges, isRoot, type ServeAs } from "./drop_privileges.ts";
export {
  adoptHeldFiles,
  type HeldFiles,
  heldFiles,
  type HeldFileWriter,
  heldFileWriter,
  holdFiles,
} from "./held_files.ts";
