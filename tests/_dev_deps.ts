/**
 * The npm packages only tests use, pinned here rather than in `deno.json`'s import map, so
 * that `deno compile` (which embeds every package of the import map) ships none of them.
 *
 * @module
 */

export { Ajv } from "npm:ajv@8.20.0";
export { chromium } from "npm:playwright-core@1.65.1";
export { default as parsePrometheusTextFormat } from "npm:parse-prometheus-text-format@1.1.1";
// @ts-types="npm:@types/ws@8.18.2"
export { WebSocket as WsClient, WebSocketServer } from "npm:ws@8.23.1";
