/**
 * Helpers for the MPMs' `check()` (httpd's `*_check_config`): read a section's values, apply
 * a rule, and record its warning in httpd's words, naming the directive, the value given and
 * the value used. Private to `mpm/`.
 *
 * @module
 */

import type { CheckResult, ClampWarning } from "./mpm_policy.ts";
import type { Directive } from "../server/config/mod.ts";

/** One check in progress: the section's values and the warnings so far. */
export class DirectiveCheck {
  readonly #warnings: ClampWarning[] = [];
  readonly #values = new Map<string, number>();

  /** Reads `given` against `table`; a directive `given` leaves out takes its default. */
  constructor(table: readonly Directive<number>[], given: Readonly<Record<string, number>>) {
    for (const directive of table) {
      this.#values.set(directive.name, given[directive.name] ?? directive.default);
    }
  }

  /**
   * The value of `name`.
   *
   * @throws {RangeError} if `name` is not in the table (a mistake in the policy, not the config).
   */
  get(name: string): number {
    const value = this.#values.get(name);
    if (value === undefined) {
      throw new RangeError(`Cannot read ${name}: it is not a directive of this MPM`);
    }
    return value;
  }

  /** Records the warning `text` about `directive` and returns `used`, its new value. */
  use(directive: string, used: number, text: string): number {
    this.#warnings.push({ directive, text });
    return used;
  }

  /** httpd's "of N not allowed" rule: a value below 1 becomes 1. */
  atLeastOne(name: string, value: number, advice = ""): number {
    return value >= 1
      ? value
      : this.use(name, 1, `${name} of ${value} not allowed, increasing to 1${advice}`);
  }

  /**
   * A spare maximum must exceed its minimum, or a pool would start and retire a member every
   * cycle: the `name` directive's value becomes `floor + 1` when it is not above `floor`.
   */
  above(name: string, floorName: string, floor: number): number {
    const value = this.get(name);
    if (value >= floor + 1) return value;
    return this.use(
      name,
      floor + 1,
      `${name} of ${value} is not above ${floorName} of ${floor}, increasing to ${floor + 1}`,
    );
  }

  /** httpd's compile-time limit: above `limit` becomes `limit`, below 1 becomes 1. */
  withinCompiledLimit(name: string, value: number, limit: number, unit: string): number {
    if (value > limit) {
      return this.use(
        name,
        limit,
        `${name} of ${value} exceeds compile-time limit of ${limit} ${unit}, decreasing to ${limit}`,
      );
    }
    return this.atLeastOne(name, value);
  }

  /**
   * httpd's rule for ServerLimit and ThreadLimit on a restart: a value other than the
   * `running` one is ignored, with a warning. Without `running` (a first start) `value` stands.
   */
  keptOnRestart(name: string, value: number, running: number | undefined): number {
    if (running === undefined || value === running) return value;
    return this.use(
      name,
      running,
      `changing ${name} to ${value} from original value of ${running} not allowed during restart`,
    );
  }

  /**
   * ServerLimit or ThreadLimit, which size the scoreboard: within the compile-time `limit`,
   * and kept on a restart ({@link keptOnRestart}) as `running` says.
   */
  sizingLimit(name: string, limit: number, unit: string, running: number | undefined): number {
    return this.keptOnRestart(
      name,
      this.withinCompiledLimit(name, this.get(name), limit, unit),
      running,
    );
  }

  /**
   * A spare pool's minimum and maximum (`MinSpareServers`/`MaxSpareServers`, or the threads'):
   * the minimum at least 1 (with httpd's advice), the maximum above it ({@link above}).
   */
  spares(minName: string, maxName: string): { readonly min: number; readonly max: number } {
    const min = this.atLeastOne(minName, this.get(minName), RAISED_MIN_SPARE_ADVICE);
    return { min, max: this.above(maxName, minName, min) };
  }

  /** The settings and the warnings recorded on the way. */
  result<S>(settings: S): CheckResult<S> {
    return { settings, warnings: [...this.#warnings] };
  }
}

/** The advice httpd adds when it raises a spare minimum of 0. */
export const RAISED_MIN_SPARE_ADVICE =
  " to avoid almost certain server failure. Please read the documentation";
