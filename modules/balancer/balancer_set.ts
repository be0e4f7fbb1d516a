/**
 * A slot's balancers: one {@link Balancer} per configured balancer, found by name for the
 * proxy's `balancer://name` targets, with their health checks running until the slot stops.
 *
 * @module
 */

import type { BalancerConfig } from "../../server/config/mod.ts";
import type { Logger } from "../../server/log/mod.ts";
import { Balancer, type BalancerSnapshot } from "./balancer.ts";
import { type Probe, probeMember, startHealthChecks } from "./health_checks.ts";

/** The balancers of one slot. */
export interface BalancerSet {
  /** The balancer named `name` (any case), or `undefined`. */
  get(name: string): Balancer | undefined;
  /** Every balancer's members and their state in this slot, in the order configured. */
  snapshot(): BalancerSnapshot[];
  /** Stops the health checks (when the slot stops serving). */
  stop(): void;
}

/** What {@link startBalancers} needs besides the configuration. */
export interface BalancerSetOptions {
  /** Where member state changes are logged. */
  readonly logger: Logger;
  /**
   * How a member is checked.
   * @default {probeMember}
   */
  readonly probe?: Probe;
}

/** Builds the slot's balancers and starts their health checks. */
export function startBalancers(
  configs: readonly BalancerConfig[],
  options: BalancerSetOptions,
): BalancerSet {
  const logger = options.logger.withModule("proxy_balancer");
  const balancers = configs.map((config) => new Balancer(config, { logger }));
  const byName = new Map(balancers.map((b) => [b.config.name, b]));
  const checks = startHealthChecks(balancers, options.probe ?? probeMember);
  return {
    get: (name) => byName.get(name.toLowerCase()),
    snapshot: () => balancers.map((b) => b.snapshot()),
    stop: () => checks.stop(),
  };
}
