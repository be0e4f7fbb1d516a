import assert from "node:assert/strict";
import {
  COMBINED_LOG_FORMAT,
  createAccessLog,
  createMemorySink,
  LogFormatError,
  openLogSink,
} from "../../../server/log/mod.ts";
import { RECORD, REJECTED } from "./_fixtures.ts";

const COMBINED_LINE =
  '203.0.113.7 - - [26/Nov/2026:10:14:51 +0000] "GET /index.html?x=1 HTTP/1.1" ' +
  '200 1234 "http://ref.example/" "curl/8.0"';

Deno.test("createAccessLog() writes one formatted line per record", async () => {
  const sink = createMemorySink();
  const log = createAccessLog({ format: COMBINED_LOG_FORMAT, sink, utcOffsetMinutes: 0 });
  log.write(RECORD);
  log.write(REJECTED);
  await log.close();
  log.write(RECORD);
  assert.deepEqual(sink.lines, [
    COMBINED_LINE,
    '203.0.113.7 - - [26/Nov/2026:10:14:51 +0000] "-" 400 226 "-" "-"',
  ]);
});

Deno.test("createAccessLog() rejects a bad format before anything is written", () => {
  assert.throws(
    () => createAccessLog({ format: "%h %Z", sink: createMemorySink() }),
    LogFormatError,
  );
});

Deno.test("createAccessLog() over a file sink writes on flush() and close()", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpmd_log_" });
  try {
    const path = `${dir}/access_log`;
    const log = createAccessLog({
      format: "%h %>s %{pid}P",
      sink: openLogSink(path),
      pid: 77,
    });
    log.write(RECORD);
    await log.flush();
    assert.equal(await Deno.readTextFile(path), "203.0.113.7 200 77\n");
    log.write(REJECTED);
    await log.close();
    assert.equal(await Deno.readTextFile(path), "203.0.113.7 200 77\n203.0.113.7 400 77\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
