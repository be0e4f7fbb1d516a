import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "../../_dev_deps.ts";
import { eventually } from "../../_deadline.ts";
import { FAULTY_APP, mpmConfig, startMpmd } from "../../mpm/machinery/_mpm.ts";

/** Debian's chromium, which `.ci/run` installs. */
const CHROMIUM = "/usr/bin/chromium";
const SLOTS = 2 * 4;

Deno.test("the status page renders the scoreboard and tables in a real browser", async () => {
  const section = {
    StartServers: 2,
    ThreadsPerChild: 2,
    MinSpareThreads: 1,
    MaxSpareThreads: 6,
    ThreadLimit: 4,
    ServerLimit: 2,
    MaxRequestWorkers: 8,
  };
  await using server = await startMpmd(
    mpmConfig("event", section, `Status: /server-status\n${FAULTY_APP}`),
  );
  // MPMD_SCREENSHOT_DIR keeps the screenshot for a person to look at; else a temp dir.
  const keep = Deno.env.get("MPMD_SCREENSHOT_DIR");
  const dir = keep ?? await Deno.makeTempDir({ prefix: "mpmd_status_browser_" });
  // A loaded server: requests served, and one in flight while the page is read.
  for (let i = 0; i < 20; i++) await (await fetch(`${server.origin}/hello.txt`)).arrayBuffer();
  const slow = fetch(`${server.origin}/app/slow?ms=3000`).then((r) => r.text());

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requestsShown = async () => {
      const match = /requests\s+([\d,]+)/i.exec(await page.locator("#summary").innerText());
      return Number(match?.[1]?.replaceAll(",", "") ?? NaN);
    };
    // Every process's region flushed: the 20 requests counted. The page's own request is in
    // flight (W); the slow one too, on the same thread or another.
    await eventually(
      async () => {
        await page.goto(`${server.origin}/server-status`);
        return await requestsShown() >= 20;
      },
      "a page showing the 20 requests",
      10_000,
    );
    assert.ok(await page.locator("#scoreboard i.s-W").count() >= 1);
    assert.ok(await page.locator("#slots tbody tr i.s-W").count() >= 1);

    assert.match(await page.title(), /^Server status for 127\.0\.0\.1$/);
    assert.equal(await page.locator("#scoreboard i").count(), SLOTS, "one cell per slot");
    const letters = (await page.locator("#scoreboard").innerText()).replace(/\s/g, "");
    assert.match(letters, /^[_SRWKDCLGI.]{8}$/);
    assert.equal(await page.locator("#legend li").count(), 11, "httpd's eleven keys");
    assert.match(await page.locator("#legend").innerText(), /_ waiting for a connection/);
    assert.match(await page.locator("#mpm").innerText(), /ThreadsPerChild 2/);

    const processRows = page.locator("#processes tbody tr");
    assert.equal(await processRows.count(), 2);
    const slotRows = page.locator("#slots tbody tr");
    assert.ok(await slotRows.count() >= 2);
    assert.match(await page.locator("#slots").innerText(), /GET \/server-status HTTP\/1\.1/);
    // Cells are laid out, not collapsed: the grid is visible and has a width.
    const box = await page.locator("#scoreboard").boundingBox();
    assert.ok(box !== null && box.width > 100 && box.height > 10);
    await page.screenshot({ path: join(dir, "server-status.png"), fullPage: true });
    assert.ok((await Deno.stat(join(dir, "server-status.png"))).size > 10_000);

    await page.goto(`${server.origin}/server-status?notable&refresh=7`);
    assert.equal(await page.locator("#processes").count(), 0, "?notable drops the tables");
    assert.equal(await page.locator("#slots").count(), 0);
    assert.equal(await page.locator("#scoreboard i").count(), SLOTS);
    assert.equal(
      await page.locator('meta[http-equiv="refresh"]').getAttribute("content"),
      "7",
    );
  } finally {
    await browser.close();
    assert.equal(await slow, "slow done\n");
    if (keep === undefined) await Deno.remove(dir, { recursive: true });
  }
});
