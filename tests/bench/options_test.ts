import assert from "node:assert/strict";
import {
  BENCH_DEFAULTS,
  BenchError,
  EVENT_MPMD_VARIANTS,
  HOSTILE_DEFAULTS,
  HOSTILE_MPMD_VARIANTS,
  parseBenchArgs,
  SLOT_MPMD_VARIANTS,
  SLOTS,
} from "../../bench/mod.ts";

Deno.test("parseBenchArgs()", async (t) => {
  const CASES = [
    { name: "fills every default", args: [], want: {} },
    {
      name: "reads numbers and lists",
      args: [
        "--duration",
        "10",
        "--warmup",
        "0",
        "--only",
        "mpmd, nginx",
        "--keepalive-requests",
        "0",
      ],
      want: { durationSec: 10, warmupSec: 0, only: ["mpmd", "nginx"], keepAliveRequests: 0 },
    },
    {
      name: "makes one mpmd run per --mpmd, split on spaces",
      args: ["--mpmd=-X", "--mpmd=--mpm event"],
      want: { mpmdVariants: [["-X"], ["--mpm", "event"]] },
    },
    {
      name: "reads --ab, --json and --mpmd-entry",
      args: ["--ab", "--json", "/tmp/out.json", "--mpmd-entry", "/tmp/main.ts"],
      want: { ab: true, jsonFile: "/tmp/out.json", mpmdEntry: "/tmp/main.ts" },
    },
    {
      name:
        "--app benchmarks mpmd event (native and own engine) and prefork unless --mpmd says otherwise",
      args: ["--app"],
      want: {
        app: true,
        mpmdVariants: [
          ["--mpm", "event", "-c", "HttpEngine native"],
          ["--mpm", "event"],
          ["--mpm", "prefork"],
        ],
      },
    },
    {
      name: "--slots: the five MPMs, as many connections as slots, ab -k",
      args: ["--slots"],
      want: { slots: true, connections: SLOTS, ab: true, mpmdVariants: SLOT_MPMD_VARIANTS },
    },
    {
      name: "--hostile: mpmd event and prefork, 300 slow clients for 20 s",
      args: ["--hostile"],
      want: {
        hostile: true,
        durationSec: HOSTILE_DEFAULTS.durationSec,
        slowClients: 300,
        mpmdVariants: HOSTILE_MPMD_VARIANTS,
      },
    },
    {
      name: "--hostile keeps the duration and slow clients asked for",
      args: ["--hostile", "--duration", "60", "--slow-clients", "500"],
      want: {
        hostile: true,
        durationSec: 60,
        slowClients: 500,
        mpmdVariants: HOSTILE_MPMD_VARIANTS,
      },
    },
    {
      name: "--h2: mpmd event against nginx and Apache event over HTTP/2",
      args: ["--h2"],
      want: { h2: true, mpmdVariants: EVENT_MPMD_VARIANTS },
    },
    {
      name: "--slots keeps the connections asked for",
      args: ["--slots", "--connections", "8"],
      want: { slots: true, connections: 8, ab: true, mpmdVariants: SLOT_MPMD_VARIANTS },
    },
    {
      name: "--gzip: mpmd event",
      args: ["--gzip"],
      want: { gzip: true, mpmdVariants: EVENT_MPMD_VARIANTS },
    },
    {
      name: "--rounds measures every contender that many times",
      args: ["--proxy", "--rounds", "3"],
      want: { proxy: true, rounds: 3, mpmdVariants: EVENT_MPMD_VARIANTS },
    },
    {
      name: "--app keeps the --mpmd runs asked for",
      args: ["--app", "--mpmd=--mpm worker"],
      want: { app: true, mpmdVariants: [["--mpm", "worker"]] },
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.deepEqual(parseBenchArgs(c.args), { ...BENCH_DEFAULTS, ...c.want });
    });
  }
});

Deno.test("parseBenchArgs() rejects bad input", async (t) => {
  const CASES = [
    {
      name: "a zero duration",
      args: ["--duration", "0"],
      message: /--duration 0: expected an integer >= 1/,
    },
    { name: "a fraction", args: ["--connections", "1.5"], message: /--connections 1.5/ },
    { name: "a negative warm-up", args: ["--warmup=-1"], message: /--warmup -1/ },
    { name: "an unknown flag", args: ["--fast"], message: /Cannot parse the command line/ },
    { name: "a positional argument", args: ["nginx"], message: /Cannot parse the command line/ },
    { name: "--app with --slots", args: ["--app", "--slots"], message: /--app with --slots/ },
    {
      name: "--slots with --hostile",
      args: ["--hostile", "--slots"],
      message: /--slots with --hostile/,
    },
    { name: "--gzip with --app", args: ["--app", "--gzip"], message: /--app with --gzip/ },
    {
      name: "--gzip with --ab",
      args: ["--gzip", "--ab"],
      message: /--ab with --gzip: the cross-check sends no Accept-Encoding/,
    },
    { name: "--h2 with --app", args: ["--app", "--h2"], message: /--app with --h2/ },
    { name: "no rounds", args: ["--rounds", "0"], message: /--rounds 0: expected an integer >= 1/ },
    {
      name: "--rounds with --h2",
      args: ["--h2", "--rounds", "3"],
      message: /--rounds with --h2: one run each/,
    },
    {
      name: "no slow clients",
      args: ["--hostile", "--slow-clients", "0"],
      message: /--slow-clients 0/,
    },
  ];
  for (const c of CASES) {
    await t.step(c.name, () => {
      assert.throws(
        () => parseBenchArgs(c.args),
        (e) => e instanceof BenchError && c.message.test(e.message),
      );
    });
  }
});
