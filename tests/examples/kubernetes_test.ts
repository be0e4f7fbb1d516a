/**
 * The container recipe (`Containerfile`, `examples/container/mpmd.yaml`) and the Kubernetes
 * example (`examples/kubernetes/`), checked offline: every manifest against the Kubernetes API's
 * own schemas, the files against each other, and the image's configuration by mpmd itself.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { apiErrors, isMap } from "./_kubernetes_api.ts";
import { runMpmd, startMpmd } from "../_server.ts";

const REPO = new URL("../..", import.meta.url).pathname;
const MANIFESTS = join(REPO, "examples/kubernetes");
const KUSTOMIZATION = "kustomization.yaml";
/** The configuration the image runs, as a path in the repository. */
const CONFIG_SOURCE = "examples/container/mpmd.yaml";
/** The site the image serves, as a path in the repository. */
const SITE_SOURCE = "examples/site";
/** The variable that moves the configuration's DocumentRoot (tests have no /srv/www). */
const DOCUMENT_ROOT_VARIABLE = "MPMD_DOCUMENT_ROOT";

// --- Reading the files ----------------------------------------------------------------------------

/** The value at a dotted path (`spec.template.spec.containers.0`), or `undefined`. */
function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function mapAt(root: unknown, path: string): Record<string, unknown> {
  const value = valueAt(root, path);
  assert.ok(isMap(value), `${path} is a map`);
  return value;
}

/** Every YAML file of the example but kustomize's, with its documents. */
async function readManifests(): Promise<Map<string, unknown[]>> {
  const files = new Map<string, unknown[]>();
  for await (const entry of Deno.readDir(MANIFESTS)) {
    if (!entry.name.endsWith(".yaml") || entry.name === KUSTOMIZATION) continue;
    const documents = parseAllDocuments(await Deno.readTextFile(join(MANIFESTS, entry.name)));
    assert.ok(Array.isArray(documents), `${entry.name}: YAML documents`);
    files.set(
      entry.name,
      documents.map((document) => {
        assert.deepEqual(document.errors, [], `${entry.name}: YAML syntax`);
        return document.toJS();
      }),
    );
  }
  return files;
}

/** The one manifest of `kind` in the example. */
function manifestOf(files: Map<string, unknown[]>, kind: string): Record<string, unknown> {
  const found = [...files.values()].flat().filter((m) => isMap(m) && m.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0] as Record<string, unknown>;
}

/** One instruction of a Containerfile, numbered by its build stage (the first is 0). */
interface Instruction {
  readonly stage: number;
  readonly keyword: string;
  readonly args: string;
}

/** The instructions of a Containerfile: comment lines dropped, continuation lines joined. */
function parseContainerfile(text: string): Instruction[] {
  const joined = text.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n");
  const instructions: Instruction[] = [];
  let stage = -1;
  for (const line of joined.replace(/\\\n/g, " ").split("\n")) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const keyword = match[1]!.toUpperCase();
    if (keyword === "FROM") stage++;
    instructions.push({ stage, keyword, args: match[2]!.trim() });
  }
  return instructions;
}

/** A COPY instruction's `--from` stage (or `null`: the build context), sources and destination. */
function parseCopy(args: string): { from: string | null; sources: string[]; destination: string } {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith("--from="))?.slice("--from=".length) ?? null;
  const paths = words.filter((word) => !word.startsWith("--"));
  assert.ok(paths.length >= 2, `COPY ${args}: sources and a destination`);
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** `5`, `"5"`, `"5s"`, `"500ms"` (mpmd's durations) in seconds. */
function seconds(value: unknown): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/i.exec(String(value));
  assert.ok(match !== null, `${value} is a duration`);
  return Number(match[1]) / (match[2]?.toLowerCase() === "ms" ? 1000 : 1);
}

/** The default of `${NAME:-default}` in `value`. */
function defaultOf(value: unknown, name: string): string {
  const found = new RegExp(`\\$\\{${name}:-([^}]*)\\}`).exec(String(value))?.[1];
  assert.ok(found !== undefined, `${value} reads \${${name}:-default}`);
  return found;
}

/** Everything the consistency checks compare. */
interface Example {
  readonly config: Record<string, unknown>;
  readonly manifests: Map<string, unknown[]>;
  readonly containerfile: Instruction[];
}

async function readExample(): Promise<Example> {
  const config = parse(await Deno.readTextFile(join(REPO, CONFIG_SOURCE)));
  assert.ok(isMap(config));
  return {
    config,
    manifests: await readManifests(),
    containerfile: parseContainerfile(await Deno.readTextFile(join(REPO, "Containerfile"))),
  };
}

/** The stage that becomes the image. */
function finalStage(example: Example): Instruction[] {
  const last = Math.max(...example.containerfile.map((i) => i.stage));
  return example.containerfile.filter((i) => i.stage === last);
}

/** The image's value of `keyword` (the last one counts, as in Docker). */
function imageSetting(example: Example, keyword: string): string {
  const found = finalStage(example).findLast((i) => i.keyword === keyword);
  assert.ok(found !== undefined, `the image's stage has ${keyword}`);
  return found.args;
}

/** The image's stage's COPY instructions. */
function imageCopies(example: Example): ReturnType<typeof parseCopy>[] {
  return finalStage(example).filter((i) => i.keyword === "COPY").map((i) => parseCopy(i.args));
}

/** Where the image's stage copies `source` from the build context, or from the stage `from`. */
function copiedTo(example: Example, source: string, from: string | null = null): string {
  const copy = imageCopies(example).find((c) => c.from === from && c.sources.includes(source));
  assert.ok(copy !== undefined, `the image's stage copies ${source}`);
  return copy.destination;
}

/** The image's ENTRYPOINT: the program that is mpmd, and its `-f` file. */
function entrypoint(example: Example): { program: string; config: string } {
  const words: unknown = JSON.parse(imageSetting(example, "ENTRYPOINT"));
  assert.ok(Array.isArray(words), "ENTRYPOINT in exec form");
  const f = words.indexOf("-f");
  assert.ok(f >= 1 && f + 1 < words.length, "ENTRYPOINT … mpmd -f FILE");
  return { program: String(words[f - 1]), config: String(words[f + 1]) };
}

function container(example: Example): Record<string, unknown> {
  const deployment = manifestOf(example.manifests, "Deployment");
  const containers = valueAt(deployment, "spec.template.spec.containers");
  assert.ok(Array.isArray(containers) && containers.length === 1, "one container");
  return mapAt(containers, "0");
}

/** The port of the config's Listen when PORT is unset. */
function listenPort(example: Example): number {
  const listen = [example.config.Listen].flat();
  assert.equal(listen.length, 1, "one Listen");
  assert.match(String(listen[0]), /^(0\.0\.0\.0|\[::\]):/, "Listen on every address");
  return Number(defaultOf(listen[0], "PORT"));
}

// --- The tests -------------------------------------------------------------------------------------

Deno.test("examples/kubernetes: every manifest is valid for the Kubernetes API, strictly", async (t) => {
  const files = await readManifests();
  assert.deepEqual([...files.keys()].sort(), ["deployment.yaml", "hpa.yaml", "service.yaml"]);
  for (const [file, documents] of files) {
    for (const [i, manifest] of documents.entries()) {
      await t.step(`${file} #${i + 1}`, () => {
        assert.deepEqual(apiErrors(manifest), []);
      });
    }
  }
});

/** Ways to break the Deployment, each of which the check must refuse. */
const BREAKAGES: {
  name: string;
  breakIt: (deployment: Record<string, unknown>) => void;
  error: RegExp;
}[] = [
  {
    name: "a misspelt field (readinessProb)",
    breakIt(deployment) {
      const c = mapAt(deployment, "spec.template.spec.containers.0");
      c.readinessProb = c.readinessProbe;
      delete c.readinessProbe;
    },
    error: /^\/spec\/template\/spec\/containers\/0\/readinessProb is not a field of V1Container$/,
  },
  {
    name: "a misspelt field deep down (preStop.slep)",
    breakIt(deployment) {
      mapAt(deployment, "spec.template.spec.containers.0.lifecycle.preStop").slep = { seconds: 5 };
    },
    error: /\/lifecycle\/preStop\/slep is not a field of V1LifecycleHandler$/,
  },
  {
    name: "a string where an integer is required (containerPort)",
    breakIt(deployment) {
      mapAt(deployment, "spec.template.spec.containers.0.ports.0").containerPort = "8080";
    },
    error: /^\/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort must be integer$/,
  },
  {
    name: "a required field left out (the container's name)",
    breakIt(deployment) {
      delete mapAt(deployment, "spec.template.spec.containers.0").name;
    },
    error: /^\/spec\/template\/spec\/containers\/0 must have required property '?name'?$/,
  },
  {
    name: "a value outside its enum (strategy.type)",
    breakIt(deployment) {
      mapAt(deployment, "spec.strategy").type = "Rolling";
    },
    error: /^\/spec\/strategy\/type must be equal to one of the allowed values$/,
  },
];

Deno.test("apiErrors() refuses a broken Deployment", async (t) => {
  const deployment = manifestOf(await readManifests(), "Deployment");
  for (const breakage of BREAKAGES) {
    await t.step(breakage.name, () => {
      const broken = structuredClone(deployment);
      breakage.breakIt(broken);
      const errors = apiErrors(broken);
      assert.ok(errors.some((e) => breakage.error.test(e)), errors.join("\n"));
    });
  }
});

Deno.test("examples/kubernetes/kustomization.yaml lists every manifest", async () => {
  const kustomization = parse(await Deno.readTextFile(join(MANIFESTS, KUSTOMIZATION)));
  const listed = valueAt(kustomization, "resources");
  assert.ok(Array.isArray(listed));
  assert.deepEqual([...listed].sort(), [...(await readManifests()).keys()].sort());
});

/** Rules tying the Containerfile, the manifests and the image's configuration together. */
const AGREEMENTS: { name: string; check: (example: Example) => void }[] = [
  {
    name: "the build stage's Deno is the one the repository pins (.deno-version)",
    check(example) {
      const pinned = Deno.readTextFileSync(join(REPO, ".deno-version")).trim();
      const from = example.containerfile.find((i) => i.keyword === "FROM")!.args;
      assert.match(
        from,
        new RegExp(`^denoland/deno:[a-z]+-${pinned.replaceAll(".", "\\.")}(\\s|$)`),
      );
    },
  },
  {
    name: "the image runs on glibc (not musl)",
    check(example) {
      assert.doesNotMatch(imageSetting(example, "FROM"), /alpine|musl/);
    },
  },
  {
    name: "ENTRYPOINT runs the binary the build stage compiled",
    check(example) {
      const compile = example.containerfile.find((i) =>
        i.keyword === "RUN" && i.args.includes("deno task compile")
      );
      assert.ok(compile !== undefined, "a stage runs deno task compile");
      const output = /--output\s+(\S+)/.exec(compile.args)?.[1];
      assert.ok(output !== undefined, "deno task compile --output FILE");
      const stage = example.containerfile.find((i) =>
        i.keyword === "FROM" && i.stage === compile.stage
      );
      const name = /\sAS\s+(\S+)$/i.exec(stage?.args ?? "")?.[1];
      assert.ok(name !== undefined, "the compiling stage is named (FROM … AS NAME)");
      assert.equal(entrypoint(example).program, copiedTo(example, output, name));
    },
  },
  {
    name: "ENTRYPOINT's -f file is where examples/container/mpmd.yaml is copied",
    check(example) {
      assert.equal(entrypoint(example).config, copiedTo(example, CONFIG_SOURCE));
    },
  },
  {
    name: "the configuration's DocumentRoot is where the site is copied",
    check(example) {
      assert.equal(
        defaultOf(example.config.DocumentRoot, DOCUMENT_ROOT_VARIABLE),
        copiedTo(example, SITE_SOURCE),
      );
    },
  },
  {
    name: "one port: Listen's default, EXPOSE, containerPort, PORT, the probes, the Service",
    check(example) {
      const port = listenPort(example);
      const c = container(example);
      assert.equal(Number(imageSetting(example, "EXPOSE")), port);
      assert.equal(valueAt(c, "ports.0.containerPort"), port);
      const env = valueAt(c, "env");
      assert.ok(Array.isArray(env));
      assert.deepEqual(env.find((e) => e.name === "PORT"), { name: "PORT", value: String(port) });
      assert.equal(valueAt(c, "readinessProbe.httpGet.port"), port);
      assert.equal(valueAt(c, "livenessProbe.httpGet.port"), port);
      const service = manifestOf(example.manifests, "Service");
      assert.equal(valueAt(service, "spec.ports.0.targetPort"), port);
    },
  },
  {
    name: "the probes ask the configuration's Health path",
    check(example) {
      const health = example.config.Health;
      assert.match(String(health), /^\//);
      const c = container(example);
      assert.equal(valueAt(c, "readinessProbe.httpGet.path"), health);
      assert.equal(valueAt(c, "livenessProbe.httpGet.path"), health);
    },
  },
  {
    name: "preStop sleep + GracefulShutdownTimeout < terminationGracePeriodSeconds",
    check(example) {
      const sleep = valueAt(container(example), "lifecycle.preStop.sleep.seconds");
      const grace = valueAt(
        manifestOf(example.manifests, "Deployment"),
        "spec.template.spec.terminationGracePeriodSeconds",
      );
      assert.ok(typeof sleep === "number" && typeof grace === "number");
      const drain = seconds(example.config.GracefulShutdownTimeout);
      assert.ok(drain > 0, "a bounded graceful stop");
      assert.ok(sleep + drain < grace, `${sleep} + ${drain} < ${grace}`);
    },
  },
  {
    name: "STOPSIGNAL is SIGTERM, which GracefulSigterm On makes a graceful stop",
    check(example) {
      assert.match(String(example.config.GracefulSigterm), /^on$/i);
      assert.equal(imageSetting(example, "STOPSIGNAL"), "SIGTERM");
    },
  },
  {
    name: "a numeric non-root USER, the one the pod runs as",
    check(example) {
      const user = /^(\d+)(?::\d+)?$/.exec(imageSetting(example, "USER"))?.[1];
      assert.ok(user !== undefined && Number(user) !== 0, "numeric and not 0");
      const pod = mapAt(manifestOf(example.manifests, "Deployment"), "spec.template.spec");
      assert.equal(valueAt(pod, "securityContext.runAsNonRoot"), true);
      assert.equal(valueAt(pod, "securityContext.runAsUser"), Number(user));
    },
  },
  {
    name: "a read-only root: the container may not write, and mpmd writes no file",
    check(example) {
      const security = mapAt(container(example), "securityContext");
      assert.equal(security.readOnlyRootFilesystem, true);
      assert.equal(security.allowPrivilegeEscalation, false);
      assert.deepEqual(valueAt(security, "capabilities.drop"), ["ALL"]);
      assert.equal(example.config.PidFile, undefined);
      assert.ok([undefined, "stderr"].includes(example.config.ErrorLog as string | undefined));
      for (const log of [example.config.CustomLog ?? []].flat()) {
        assert.match(String(log), /^(stdout|stderr)\s/, "CustomLog to stdout or stderr");
      }
    },
  },
  {
    name: "the Service and the HPA find the Deployment's pods",
    check(example) {
      const deployment = manifestOf(example.manifests, "Deployment");
      const labels = mapAt(deployment, "spec.template.metadata.labels");
      const selector = mapAt(manifestOf(example.manifests, "Service"), "spec.selector");
      for (const [key, value] of Object.entries(selector)) assert.equal(labels[key], value);
      const target = mapAt(manifestOf(example.manifests, "HorizontalPodAutoscaler"), "spec");
      assert.deepEqual(target.scaleTargetRef, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: valueAt(deployment, "metadata.name"),
      });
      assert.equal(valueAt(deployment, "spec.replicas"), undefined, "the HPA sets replicas");
    },
  },
];

Deno.test("Containerfile, examples/kubernetes and examples/container/mpmd.yaml agree", async (t) => {
  const example = await readExample();
  for (const agreement of AGREEMENTS) {
    await t.step(agreement.name, () => agreement.check(example));
  }
});

const SERVE_ENV = { [DOCUMENT_ROOT_VARIABLE]: join(REPO, SITE_SOURCE) };

Deno.test("examples/container/mpmd.yaml: mpmd -t accepts it", async () => {
  const checked = await runMpmd(["-t", "-f", join(REPO, CONFIG_SOURCE)], SERVE_ENV);
  assert.equal(checked.code, 0, checked.stderr);
  assert.match(checked.stderr, /^Syntax OK$/m);
});

Deno.test("examples/container/mpmd.yaml: answers /healthz, logs JSON and access lines, stops on SIGTERM gracefully", async () => {
  // The configuration listens on 0.0.0.0: a test listens on loopback only.
  await using server = await startMpmd(
    null,
    ["-f", join(REPO, CONFIG_SOURCE), "-c", "Listen 127.0.0.1:0"],
    { env: SERVE_ENV, captureStdout: true },
  );
  const health = await fetch(`${server.origin}/healthz`);
  assert.deepEqual([health.status, await health.text()], [200, "OK\n"]);
  const page = await fetch(`${server.origin}/`);
  assert.equal(page.status, 200);
  await page.body?.cancel();

  const ready = JSON.parse(await server.waitForLog(/Listening on http/));
  assert.equal(ready.level, "notice");

  assert.equal(await server.stop("SIGTERM"), 0, server.stderr.join("\n"));
  assert.ok(
    server.stderr.some((line) => line.includes("caught SIGTERM, shutting down gracefully")),
    server.stderr.join("\n"),
  );
  // The access log, on stdout, flushed by the graceful stop.
  assert.match(
    await server.stdout,
    /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/healthz HTTP\/1\.1" 200 3$/m,
  );
});
