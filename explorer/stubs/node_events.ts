/**
 * Browser stand-in for `node:events`: a small `EventEmitter` (`on`, `once`, `off`, `emit`,
 * `listeners`), enough for a library that extends it at load time (commander's `Command`).
 *
 * @module
 */

type Listener = (...args: unknown[]) => void;

/**
 * A minimal event emitter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventEmitter } from "./node_events.ts";
 * const e = new EventEmitter();
 * const got: unknown[] = [];
 * e.once("x", (v) => got.push(v));
 * assert.ok(e.emit("x", 1) && !e.emit("x", 2));
 * assert.deepEqual(got, [1]);
 * ```
 */
export class EventEmitter {
  #listeners = new Map<string | symbol, Listener[]>();
  /** Adds a listener. */
  on(name: string | symbol, f: Listener): this {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), f]);
    return this;
  }
  /** Same as `on`. */
  addListener(name: string | symbol, f: Listener): this {
    return this.on(name, f);
  }
  /** Adds a listener called once. */
  once(name: string | symbol, f: Listener): this {
    const g: Listener = (...args) => {
      this.off(name, g);
      f(...args);
    };
    return this.on(name, g);
  }
  /** Removes a listener. */
  off(name: string | symbol, f: Listener): this {
    this.#listeners.set(name, (this.#listeners.get(name) ?? []).filter((x) => x !== f));
    return this;
  }
  /** Same as `off`. */
  removeListener(name: string | symbol, f: Listener): this {
    return this.off(name, f);
  }
  /** Calls the listeners; true when there were some. */
  emit(name: string | symbol, ...args: unknown[]): boolean {
    const fs = [...(this.#listeners.get(name) ?? [])];
    for (const f of fs) f(...args);
    return fs.length > 0;
  }
  /** The listeners of an event. */
  listeners(name: string | symbol): Listener[] {
    return [...(this.#listeners.get(name) ?? [])];
  }
  /** How many listeners an event has. */
  listenerCount(name: string | symbol): number {
    return this.listeners(name).length;
  }
}

export default EventEmitter;
