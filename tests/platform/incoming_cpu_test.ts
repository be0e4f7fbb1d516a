import assert from "node:assert/strict";
import {
  IncomingCpuError,
  incomingCpuSteers,
  listenersPerSlot,
  listeningSocketFds,
  onlineCpuCount,
  openIncomingCpuControl,
  parseCpuList,
  parseListeningInodes,
  steeringCpu,
} from "../../platform/mod.ts";

const TCP4_HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
const TCP6_HEADER =
  "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

/** Port 8080 is 1F90; port 80 is 0050; rows below mix states and ports around them. */
const TCP4_TEXT = [
  TCP4_HEADER,
  "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0",
  "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 100 0 0 10 0",
  "   2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1003 1 0000000000000000 100 0 0 10 0",
  "   3: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1004 1 0000000000000000 20 4 30 10 -1",
  "   4: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 1005 1 0000000000000000 20 4 30 10 -1",
  "   5: 0100007F:1F90 0100007F:C351 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000",
  "",
].join("\n");

const TCP6_TEXT = [
  TCP6_HEADER,
  "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 100 0 0 10 0",
  "   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2002 1 0000000000000000 100 0 0 10 0",
  "   2: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D431 01 00000000:00000000 00:00000000 00000000     0        0 2003 1 0000000000000000 20 4 30 10 -1",
  "",
].join("\n");

Deno.test("parseListeningInodes() keeps LISTEN rows on the local port only", async (t) => {
  const cases = [
    { name: "v4 listeners on 8080", text: TCP4_TEXT, port: 8080, inodes: ["1001", "1002"] },
    { name: "v4 listener on 80", text: TCP4_TEXT, port: 80, inodes: ["1003"] },
    { name: "v4 remote port 8080 is not local", text: TCP4_TEXT, port: 50000, inodes: [] },
    { name: "v6 listener on 8080", text: TCP6_TEXT, port: 8080, inodes: ["2001"] },
    { name: "v6 listener on 80", text: TCP6_TEXT, port: 80, inodes: ["2002"] },
    { name: "header only", text: TCP4_HEADER + "\n", port: 8080, inodes: [] },
    { name: "empty text", text: "", port: 8080, inodes: [] },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.deepEqual([...parseListeningInodes(c.text, c.port)], c.inodes);
    });
  }
});

Deno.test("parseCpuList() expands the kernel's CPU list format", async (t) => {
  const cases = [
    { text: "0-1\n", cpus: [0, 1] },
    { text: "0", cpus: [0] },
    { text: "0-3,6,8-9", cpus: [0, 1, 2, 3, 6, 8, 9] },
    { text: "2,0-1", cpus: [0, 1, 2] },
    { text: "\n", cpus: [] },
  ];
  for (const c of cases) {
    await t.step(JSON.stringify(c.text), () => assert.deepEqual(parseCpuList(c.text), c.cpus));
  }
  for (const text of ["3-1", "a", "0,,1", "-1"]) {
    await t.step(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseCpuList(text), SyntaxError);
    });
  }
});

Deno.test("incomingCpuSteers() requires Linux 6.1 or later", async (t) => {
  const cases = [
    { os: "linux", release: "6.18.44-fc-v657", steers: true },
    { os: "linux", release: "6.1.0-13-amd64", steers: true },
    { os: "linux", release: "6.0.19", steers: false },
    { os: "linux", release: "5.15.0-91-generic", steers: false },
    { os: "linux", release: "7.0.1", steers: true },
    { os: "linux", release: "unknown", steers: false },
    { os: "darwin", release: "24.1.0", steers: false },
    { os: "windows", release: "10.0.22631", steers: false },
  ];
  for (const c of cases) {
    await t.step(`${c.os} ${c.release} → ${c.steers}`, () => {
      assert.equal(incomingCpuSteers(c.os, c.release), c.steers);
    });
  }
});

Deno.test("listenersPerSlot() covers every CPU with the initial slots", async (t) => {
  const cases = [
    { slots: 1, cpus: 2, per: 2 },
    { slots: 2, cpus: 2, per: 1 },
    { slots: 3, cpus: 2, per: 1 },
    { slots: 3, cpus: 8, per: 3 },
    { slots: 4, cpus: 16, per: 4 },
    { slots: 2, cpus: 1, per: 1 },
    { slots: 5, cpus: 0, per: 1 },
  ];
  for (const c of cases) {
    await t.step(`${c.slots} slots, ${c.cpus} CPUs → ${c.per}`, () => {
      const per = listenersPerSlot(c.slots, c.cpus);
      assert.equal(per, c.per);
      assert.ok(per * c.slots >= c.cpus);
    });
  }
  for (const slots of [0, -1, 1.5, NaN]) {
    await t.step(`rejects ${slots} slots`, () => {
      assert.throws(() => listenersPerSlot(slots, 2), RangeError);
    });
  }
});

Deno.test("steeringCpu() pins a generation's listeners round-robin over the CPUs", async (t) => {
  const cases = [
    { slots: 2, cpus: 2, pinned: [0, 1] },
    { slots: 1, cpus: 2, pinned: [0, 1] },
    { slots: 3, cpus: 2, pinned: [0, 1, 0] },
    { slots: 3, cpus: 8, pinned: [0, 1, 2, 3, 4, 5, 6, 7, 0] },
  ];
  for (const c of cases) {
    await t.step(`${c.slots} slots, ${c.cpus} CPUs`, () => {
      const total = c.slots * listenersPerSlot(c.slots, c.cpus);
      const pinned = Array.from({ length: total }, (_, ordinal) => steeringCpu(ordinal, c.cpus));
      assert.deepEqual(pinned, c.pinned);
    });
  }
});

Deno.test("onlineCpuCount() spans the online CPU ids of this machine", () => {
  const count = onlineCpuCount();
  assert.ok(Number.isInteger(count) && count >= 1);
  if (Deno.build.os === "linux") {
    const online = parseCpuList(Deno.readTextFileSync("/sys/devices/system/cpu/online"));
    assert.equal(count, (online.at(-1) ?? 0) + 1);
  }
});

const isLinux = Deno.build.os === "linux";

Deno.test({
  name: "listeningSocketFds() and IncomingCpuControl see and pin each reuseport listener",
  ignore: !isLinux,
  fn() {
    using control = openIncomingCpuControl() ?? assert.fail("Cannot open libc through FFI");
    const group = openReusePortGroup(3);
    try {
      // Ascending, whatever numbers the OS handed out (a lower fd may have been freed).
      assert.deepEqual(listeningSocketFds(group.port), group.fds.toSorted((a, b) => a - b));
      for (const fd of group.fds) assert.equal(control.get(fd), -1);
      group.fds.forEach((fd, i) => control.set(fd, i + 5));
      assert.deepEqual(group.fds.map((fd) => control.get(fd)), [5, 6, 7]);
      for (const fd of group.fds) control.set(fd, -1);
      assert.deepEqual(group.fds.map((fd) => control.get(fd)), [-1, -1, -1]);
    } finally {
      for (const listener of group.listeners) listener.close();
    }
    assert.deepEqual(listeningSocketFds(group.port), []);
  },
});

Deno.test({
  name: "IncomingCpuControl.set() names the fd and the OS reason on failure",
  ignore: !isLinux,
  fn() {
    using control = openIncomingCpuControl() ?? assert.fail("Cannot open libc through FFI");
    const badFd = 1_000_000;
    for (const call of [() => control.set(badFd, 0), () => control.get(badFd)]) {
      assert.throws(call, (error) => {
        assert.ok(error instanceof IncomingCpuError);
        assert.match(error.message, /^Cannot (set|get) SO_INCOMING_CPU on fd 1000000: Bad file/);
        assert.equal(error.fd, badFd);
        assert.equal(error.errno, 9); // EBADF
        return true;
      });
    }
  },
});

const CONNECTIONS = 40;
const DEADLINE_MS = 5_000;

Deno.test({
  name: "SO_INCOMING_CPU steers every SYN away from an unpinned reuseport listener",
  ignore: !incomingCpuSteers(Deno.build.os, Deno.osRelease()),
  async fn() {
    using control = openIncomingCpuControl() ?? assert.fail("Cannot open libc through FFI");
    const cpus = onlineCpuCount();
    // One listener pinned per CPU, then one left unpinned: the old generation's stand-in.
    const group = openReusePortGroup(cpus + 1);
    const unpinned = cpus;
    const clients: Deno.Conn[] = [];
    const accepted: Deno.Conn[] = [];
    const counts = group.listeners.map(() => 0);
    let allAccepted = () => {};
    const done = new Promise<void>((resolve) => allAccepted = resolve);
    const loops = group.listeners.map(async (listener, i) => {
      try {
        for (;;) {
          accepted.push(await listener.accept());
          counts[i]! += 1;
          if (accepted.length === CONNECTIONS) allAccepted();
        }
      } catch (error) {
        if (
          !(error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted)
        ) {
          throw error;
        }
      }
    });
    try {
      group.fds.slice(0, cpus).forEach((fd, ordinal) =>
        control.set(fd, steeringCpu(ordinal, cpus))
      );
      for (let i = 0; i < CONNECTIONS; i++) {
        clients.push(await Deno.connect({ hostname: "127.0.0.1", port: group.port }));
      }
      await withDeadline(done, `accept ${CONNECTIONS} connections`);
      assert.equal(counts[unpinned], 0, `per listener: ${counts.join(", ")}`);
      assert.equal(counts.slice(0, cpus).reduce((a, b) => a + b, 0), CONNECTIONS);

      for (const fd of group.fds) control.set(fd, -1);
      assert.deepEqual(group.fds.map((fd) => control.get(fd)), group.fds.map(() => -1));
    } finally {
      for (const conn of [...clients, ...accepted]) conn.close();
      for (const listener of group.listeners) listener.close();
      await Promise.all(loops);
    }
  },
});

interface ReusePortGroup {
  readonly port: number;
  readonly listeners: Deno.TcpListener[];
  /** `fds[i]` belongs to `listeners[i]`. */
  readonly fds: number[];
}

/** Opens `count` reuseport listeners on one loopback port, learning each one's fd. */
function openReusePortGroup(count: number): ReusePortGroup {
  const listeners: Deno.TcpListener[] = [];
  const fds: number[] = [];
  let port = 0;
  try {
    for (let i = 0; i < count; i++) {
      const before = new Set(port === 0 ? [] : listeningSocketFds(port));
      const listener = Deno.listen({ hostname: "127.0.0.1", port, reusePort: true });
      listeners.push(listener);
      port = listener.addr.port;
      const added = listeningSocketFds(port).filter((fd) => !before.has(fd));
      assert.equal(added.length, 1, `listener ${i} on port ${port}: new fds ${added}`);
      fds.push(added[0]!);
    }
  } catch (error) {
    for (const listener of listeners) listener.close();
    throw error;
  }
  return { port, listeners, fds };
}

async function withDeadline(promise: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Cannot ${what}: ${DEADLINE_MS} ms passed`)),
      DEADLINE_MS,
    );
  });
  try {
    await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
