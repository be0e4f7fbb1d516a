/**
 * The status page's stylesheet, inlined in the page: system fonts, a light and a dark scheme,
 * one colour per scoreboard state (busy states warm, idle cool, open slots faint).
 *
 * @module
 */

/** CSS for `renderStatusPage()`. */
export const STATUS_STYLE = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#667085;--bg:#f7f8fa;--card:#fff;--line:#e3e6eb;
--wait:#d7f0dd;--busy:#ffd8a8;--read:#ffe9a8;--ka:#cfe3ff;--grace:#e7d4ff;--open:#eef0f3;--start:#d9f2f2}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#98a2b3;--bg:#12151b;--card:#1b2029;
--line:#2b323d;--wait:#1f4a2c;--busy:#6b3f12;--read:#5e4d10;--ka:#1d3b66;--grace:#43285f;--open:#222833;
--start:#1b4747}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:15px;margin:22px 0 8px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.version{margin:0;color:var(--muted)}
nav{margin-top:8px}nav a{margin-right:12px;color:inherit}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px;margin:16px 0 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card dd{margin:2px 0 0;font-size:20px;font-weight:600}
.card small{display:block;font-size:12px;font-weight:400;color:var(--muted)}
.settings span{display:inline-block;margin:0 14px 4px 0}
.note{color:var(--muted);margin:0 0 6px}
.grid{font:13px/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--card);
border:1px solid var(--line);border-radius:8px;padding:8px;overflow-x:auto}
.row{white-space:nowrap}
i{display:inline-block;min-width:1.35em;padding:2px 0;margin:1px;text-align:center;font-style:normal;
border-radius:3px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.s-wait{background:var(--wait)}.s-open{background:var(--open);color:var(--muted)}
.s-S{background:var(--start)}.s-R{background:var(--read)}.s-W,.s-C,.s-L,.s-D{background:var(--busy)}
.s-K{background:var(--ka)}.s-G,.s-I{background:var(--grace)}
.legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px;
color:var(--muted);font-size:12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);
border-radius:8px;font-variant-numeric:tabular-nums}
th,td{padding:5px 9px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th{font-size:12px;color:var(--muted);font-weight:600;background:var(--bg)}
#slots td:nth-last-child(-n+3),#slots th:nth-last-child(-n+3){text-align:left}
.grid i.first{margin-left:7px}
#slots code{font-size:12px}
footer{color:var(--muted);padding:20px;font-size:12px}
`;
