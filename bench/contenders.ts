/**
 * The servers the benchmark compares, as data: each contender knows its program, how to
 * tell its version, and how to launch it on a given site layout. One runner starts them all.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import {
  HTTPD_MPMS,
  httpdConfig,
  type HttpdMpm,
  mpmdConfig,
  nginxConfig,
  type SiteLayout,
} from "./server_configs.ts";

/** `mpmd` contenders are measured; `peer` contenders are what they are measured against. */
export type ContenderRole = "mpmd" | "peer";

/** Everything needed to start one server, computed from its site layout without I/O. */
export interface LaunchSpec {
  /** argv; the first element is the program. */
  readonly command: readonly string[];
  /** File the config text is written to before the server starts. */
  readonly configPath: string;
  /** Contents of the server's config file. */
  readonly configText: string;
  /** Directories that must exist before the server starts. */
  readonly dirs: readonly string[];
  /** The server's own error log, shown when it fails to start. */
  readonly errorLog: string;
}

/** One server in the comparison. */
export interface Contender {
  /** Unique display name: `nginx`, `apache-event`, `mpmd -X`. */
  readonly name: string;
  /** Whether it is measured (`mpmd`) or measured against (`peer`). */
  readonly role: ContenderRole;
  /** Stem of its files in the temp dir. */
  readonly stem: string;
  /** Program (name looked up on PATH, or absolute path) that must exist. */
  readonly program: string;
  /** Other files that must exist (mpmd's entry module). */
  readonly requiredFiles: readonly string[];
  /** What to do when the program or a required file is missing. */
  readonly installHint: string;
  /** argv printing the version on stdout or stderr. */
  readonly versionCommand: readonly string[];
  /** Whether the run also measures it over https (the site then has a `tls` listener). */
  readonly https: boolean;
  /** The command and config for one run on `site`. */
  launch(site: SiteLayout): LaunchSpec;
}

/** The repository's deno.json: mpmd needs its import map and `"unstable": ["net"]`. */
export const MPMD_DENO_CONFIG: string = fileURLToPath(new URL("../deno.json", import.meta.url));

/** mpmd's entry module in this checkout. */
export const MPMD_ENTRY: string = fileURLToPath(new URL("../main.ts", import.meta.url));

/** The command that runs mpmd, before its variant flags and `-f <config>`. */
export function mpmdCommand(entry: string): string[] {
  return [Deno.execPath(), "run", "-A", "--config", MPMD_DENO_CONFIG, entry];
}

/** The module `--app` serves: the hello example, the same file under every contender. */
export const HELLO_APP: string = fileURLToPath(
  new URL("../examples/apps/hello/app.ts", import.meta.url),
);

/** The mpmd run measured over https too: event, as the HTTPS cases compare it with Apache's. */
export const HTTPS_MPMD_FLAGS: readonly string[] = ["--mpm", "event"];

/**
 * The mpmd runs of `--app`: event (the default MPM) on Deno's native HTTP engine, event on
 * mpmd's own engine, and prefork (a process per connection).
 */
export const APP_MPMD_VARIANTS: readonly (readonly string[])[] = [
  ["--mpm", "event", "-c", "HttpEngine native"],
  ["--mpm", "event"],
  ["--mpm", "prefork"],
];

/**
 * The mpmd command-line flags benchmarked when none are asked for: the event MPM (a parent
 * and two children, see `mpmdConfig`), the same behind three virtual hosts and five
 * `<Directory>` sections (`-D VHOSTS`), `-X`, one process without the MPM machinery, and
 * prefork (a process per connection, against Apache's prefork).
 */
export const DEFAULT_MPMD_VARIANTS: readonly (readonly string[])[] = [
  ["--mpm", "event"],
  ["--mpm", "event", "-D", "VHOSTS"],
  ["-X"],
  ["--mpm", "prefork"],
];

/**
 * The mpmd runs of `--hostile`: event, the default, whose connections still sending their
 * heads wait without a thread, and prefork, where each holds a child as in httpd.
 */
export const HOSTILE_MPMD_VARIANTS: readonly (readonly string[])[] = [
  ["--mpm", "event"],
  ["--mpm", "prefork"],
];

/** The mpmd run of `--gzip`: event, the default MPM, against nginx and Apache's event. */
export const GZIP_MPMD_VARIANTS: readonly (readonly string[])[] = [["--mpm", "event"]];

/**
 * The MPMs of `--slots`, each held to the Apache MPM that holds connections the same way:
 * prefork to Apache's prefork, the threaded ones to Apache's worker.
 */
export const SLOT_MATCHES: Readonly<Record<string, HttpdMpm>> = {
  prefork: "prefork",
  worker: "worker",
  winnt: "worker",
  netware: "worker",
  mpmt_os2: "worker",
};

/** The mpmd runs of `--slots`: one per MPM of {@link SLOT_MATCHES}. */
export const SLOT_MPMD_VARIANTS: readonly (readonly string[])[] = Object.keys(SLOT_MATCHES).map((
  mpm,
) => ["--mpm", mpm]);

/** What decides which mpmd runs are compared. */
export interface ContenderOptions {
  /** mpmd's entry module. @default MPMD_ENTRY */
  readonly mpmdEntry: string;
  /** One mpmd run per entry, each with these extra flags. @default DEFAULT_MPMD_VARIANTS */
  readonly mpmdVariants: readonly (readonly string[])[];
}

function mpmdContender(entry: string, flags: readonly string[], index: number): Contender {
  const command = mpmdCommand(entry);
  return {
    name: ["mpmd", ...flags].join(" "),
    role: "mpmd",
    stem: `mpmd_${index + 1}`,
    program: command[0]!,
    requiredFiles: [entry],
    installHint: `mpmd's entry module is missing (pass --mpmd-entry FILE)`,
    versionCommand: [...command, "-V"],
    https: flags.join(" ") === HTTPS_MPMD_FLAGS.join(" "),
    launch(site) {
      const configPath = `${site.dir}/${site.stem}.yaml`;
      return {
        command: [...command, ...flags, "-f", configPath],
        configPath,
        configText: mpmdConfig(site),
        dirs: [],
        errorLog: `${site.dir}/${site.stem}_error.log`,
      };
    },
  };
}

const NGINX: Contender = {
  name: "nginx",
  role: "peer",
  stem: "nginx",
  program: "nginx",
  requiredFiles: [],
  installHint: "apt-get install -y nginx",
  versionCommand: ["nginx", "-v"],
  https: true,
  launch(site) {
    const configPath = `${site.dir}/${site.stem}.conf`;
    return {
      // -e: nginx opens its compiled-in error log before reading the config otherwise.
      command: [
        "nginx",
        "-p",
        site.dir,
        "-c",
        configPath,
        "-e",
        `${site.dir}/${site.stem}_error.log`,
      ],
      configPath,
      configText: nginxConfig(site),
      dirs: [`${site.dir}/${site.stem}_temp`],
      errorLog: `${site.dir}/${site.stem}_error.log`,
    };
  },
};

function httpdContender(mpm: HttpdMpm): Contender {
  return {
    name: `apache-${mpm}`,
    role: "peer",
    stem: `httpd_${mpm}`,
    program: "apache2",
    requiredFiles: [],
    installHint: "apt-get install -y apache2",
    versionCommand: ["apache2", "-v"],
    // mod_ssl under event: the comparison (worker and prefork would only repeat it).
    https: mpm === "event",
    launch(site) {
      const configPath = `${site.dir}/${site.stem}.conf`;
      return {
        command: ["apache2", "-f", configPath, "-DFOREGROUND"],
        configPath,
        configText: httpdConfig(site, mpm),
        dirs: [`${site.dir}/${site.stem}_run`],
        errorLog: `${site.dir}/${site.stem}_error.log`,
      };
    },
  };
}

/**
 * `deno serve --parallel` on the app module: one isolate per core behind a shared socket, the
 * way Deno users run such a module without mpmd. It needs a deno CLI: this runtime's own.
 */
const DENO_SERVE: Contender = {
  name: "deno serve --parallel",
  role: "peer",
  stem: "deno_serve",
  program: Deno.execPath(),
  requiredFiles: [HELLO_APP],
  installHint: "the app module ships in examples/apps/hello",
  versionCommand: [Deno.execPath(), "--version"],
  https: false,
  launch(site) {
    const command = [
      Deno.execPath(),
      "serve",
      "--parallel",
      "-A",
      "--host",
      "127.0.0.1",
      "--port",
      String(site.port),
      site.appModule ?? HELLO_APP,
    ];
    // deno serve reads no config file: the one written records the command, for the reader.
    return {
      command,
      configPath: `${site.dir}/${site.stem}.cmd`,
      configText: `${command.join(" ")}\n`,
      dirs: [],
      errorLog: `${site.dir}/${site.stem}_error.log`,
    };
  },
};

/** The mpmd runs of `--proxy`: the event MPM, the one the proxy goals name. */
export const PROXY_MPMD_VARIANTS: readonly (readonly string[])[] = [["--mpm", "event"]];

/** The contenders of `--proxy`: the mpmd runs, Apache event with mod_proxy, nginx. */
export function proxyContenders(options: ContenderOptions): Contender[] {
  return [
    ...options.mpmdVariants.map((flags, i) => mpmdContender(options.mpmdEntry, flags, i)),
    httpdContender("event"),
    NGINX,
  ];
}

/**
 * The backend every `--proxy` contender passes its requests to: an nginx serving the file,
 * started once for the whole run.
 */
export const PROXY_BACKEND: Contender = { ...NGINX, name: "backend (nginx)", stem: "backend" };

/** The contenders of `--app`: the mpmd runs, then `deno serve --parallel`. */
export function appContenders(options: ContenderOptions): Contender[] {
  return [
    ...options.mpmdVariants.map((flags, i) => mpmdContender(options.mpmdEntry, flags, i)),
    DENO_SERVE,
  ];
}

/**
 * The contenders of `--slots`: the mpmd runs, then Apache's prefork and worker (the pool
 * sizes are the site's `slots`).
 */
export function slotContenders(options: ContenderOptions): Contender[] {
  return [
    ...options.mpmdVariants.map((flags, i) => mpmdContender(options.mpmdEntry, flags, i)),
    httpdContender("prefork"),
    httpdContender("worker"),
  ];
}

/**
 * Which Apache contender each mpmd contender of `--slots` is held to: the one
 * {@link SLOT_MATCHES} names for its `--mpm` (runs of other MPMs are held to none).
 */
export function slotPairs(contenders: readonly Contender[]): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const contender of contenders) {
    const mpm = /--mpm (\S+)/.exec(contender.name)?.[1];
    const match = mpm === undefined ? undefined : SLOT_MATCHES[mpm];
    if (contender.role === "mpmd" && match !== undefined) {
      pairs.set(contender.name, `apache-${match}`);
    }
  }
  return pairs;
}

/** The contenders of `--gzip`: the mpmd runs, then nginx and Apache's event MPM. */
export function gzipContenders(options: ContenderOptions): Contender[] {
  return [
    ...options.mpmdVariants.map((flags, i) => mpmdContender(options.mpmdEntry, flags, i)),
    NGINX,
    httpdContender("event"),
  ];
}

/** Every contender, mpmd runs first, then nginx and Apache's three MPMs. */
export function allContenders(options: ContenderOptions): Contender[] {
  return [
    ...options.mpmdVariants.map((flags, i) => mpmdContender(options.mpmdEntry, flags, i)),
    NGINX,
    ...HTTPD_MPMS.map(httpdContender),
  ];
}

/**
 * Keeps the contenders named in `only`; an item selects a name equal to it or starting with
 * it followed by "-" or " " (`apache` selects all Apache MPMs, `mpmd` every mpmd run).
 *
 * @returns the kept contenders, or the items that matched none.
 */
export function selectContenders(
  contenders: readonly Contender[],
  only: readonly string[],
): { readonly selected: Contender[]; readonly unknown: string[] } {
  if (only.length === 0) return { selected: [...contenders], unknown: [] };
  const matches = (name: string, item: string) =>
    name === item || name.startsWith(`${item}-`) || name.startsWith(`${item} `);
  return {
    selected: contenders.filter((c) => only.some((item) => matches(c.name, item))),
    unknown: only.filter((item) => !contenders.some((c) => matches(c.name, item))),
  };
}
