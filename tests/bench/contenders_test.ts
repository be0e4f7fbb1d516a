import assert from "node:assert/strict";
import {
  allContenders,
  appContenders,
  gzipContenders,
  HELLO_APP,
  selectContenders,
} from "../../bench/mod.ts";

const ALL = allContenders({
  mpmdEntry: "/src/main.ts",
  mpmdVariants: [["-X"], ["--mpm", "event"]],
});
const SITE = {
  dir: "/tmp/b",
  docRoot: "/tmp/b/htdocs",
  port: 8080,
  keepAliveRequests: 100,
  runAsUser: null,
};

Deno.test("allContenders() lists mpmd runs, nginx and Apache's three MPMs", () => {
  assert.deepEqual(ALL.map((c) => c.name), [
    "mpmd -X",
    "mpmd --mpm event",
    "nginx",
    "apache-event",
    "apache-worker",
    "apache-prefork",
  ]);
  assert.equal(new Set(ALL.map((c) => c.stem)).size, ALL.length, "file stems must not collide");
});

Deno.test("Contender.launch() builds each server's command line", async (t) => {
  const CASES = [
    {
      name: "mpmd -X",
      tail: ["/src/main.ts", "-X", "-f", "/tmp/b/mpmd_1.yaml"],
    },
    {
      name: "mpmd --mpm event",
      tail: ["/src/main.ts", "--mpm", "event", "-f", "/tmp/b/mpmd_2.yaml"],
    },
    {
      name: "nginx",
      tail: ["nginx", "-p", "/tmp/b", "-c", "/tmp/b/nginx.conf", "-e", "/tmp/b/nginx_error.log"],
    },
    {
      name: "apache-worker",
      tail: ["apache2", "-f", "/tmp/b/httpd_worker.conf", "-DFOREGROUND"],
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const contender = ALL.find((x) => x.name === c.name)!;
      const spec = contender.launch({ ...SITE, stem: contender.stem });
      assert.deepEqual(spec.command.slice(-c.tail.length), c.tail);
      assert.ok(spec.configText.includes("8080"), "config must name the port");
    });
  }
});

Deno.test("selectContenders()", async (t) => {
  const CASES = [
    {
      name: "keeps all for an empty list",
      only: [],
      selected: ALL.map((c) => c.name),
      unknown: [],
    },
    {
      name: "selects by prefix",
      only: ["apache"],
      selected: ["apache-event", "apache-worker", "apache-prefork"],
      unknown: [],
    },
    {
      name: "selects every mpmd run by 'mpmd' and one by full name",
      only: ["mpmd", "apache-event"],
      selected: ["mpmd -X", "mpmd --mpm event", "apache-event"],
      unknown: [],
    },
    {
      name: "reports names that match nothing",
      only: ["nginx", "lighttpd", "apa"],
      selected: ["nginx"],
      unknown: ["lighttpd", "apa"],
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      const { selected, unknown } = selectContenders(ALL, c.only);
      assert.deepEqual(selected.map((s) => s.name), c.selected);
      assert.deepEqual(unknown, c.unknown);
    });
  }
});

Deno.test("appContenders() serves one module from mpmd and from deno serve --parallel", () => {
  const contenders = appContenders({
    mpmdEntry: "/src/main.ts",
    mpmdVariants: [["--mpm", "event"], ["--mpm", "prefork"]],
  });
  assert.deepEqual(contenders.map((c) => c.name), [
    "mpmd --mpm event",
    "mpmd --mpm prefork",
    "deno serve --parallel",
  ]);
  const site = { ...SITE, appModule: "/apps/hello.ts" };
  const [event, , denoServe] = contenders.map((c) => c.launch({ ...site, stem: c.stem }));
  assert.ok(event!.configText.includes('App:\n  - Location: /\n    Module: "/apps/hello.ts"\n'));
  assert.match(
    denoServe!.command.slice(1).join(" "),
    /^serve --parallel -A --host 127\.0\.0\.1 --port 8080 \/apps\/hello\.ts$/,
  );
  assert.ok(HELLO_APP.endsWith("/examples/apps/hello/app.ts"));
});

Deno.test("gzipContenders() sets mpmd against nginx and Apache's event MPM, each compressing at one level", () => {
  const contenders = gzipContenders({
    mpmdEntry: "/src/main.ts",
    mpmdVariants: [["--mpm", "event"]],
  });
  assert.deepEqual(contenders.map((c) => c.name), ["mpmd --mpm event", "nginx", "apache-event"]);
  const [mpmd, nginx, apache] = contenders.map((c) =>
    c.launch({ ...SITE, stem: c.stem, gzipLevel: 6 }).configText.split("\n")
  );
  assert.ok(mpmd!.includes('AddOutputFilterByType: "DEFLATE text/html"'));
  assert.ok(mpmd!.includes("DeflateCompressionLevel: 6"));
  for (const line of ["  gzip on;", "  gzip_comp_level 6;", "  gzip_vary on;"]) {
    assert.ok(nginx!.includes(line), line);
  }
  for (const line of ["AddOutputFilterByType DEFLATE text/html", "DeflateCompressionLevel 6"]) {
    assert.ok(apache!.includes(line), line);
  }
  assert.ok(apache!.some((line) => line.startsWith("LoadModule deflate_module ")));
});
