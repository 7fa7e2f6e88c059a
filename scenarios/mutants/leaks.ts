import type { SourceEdit } from "../../harness/worker/variant.js";

/** A Worker that leaks memory: the soak must fail it on its isolate's memory, whatever its checkers say. */
export interface LeakingWorker {
  name: string;
  /** The leak, in words. */
  bug: string;
  /** Exact replacements in files under worker/ (each `from` occurs exactly once). */
  edits: SourceEdit[];
}

/**
 * Keeps every checkout's context in a module-level array, as a Worker that "remembers recent checkouts" for a
 * later lookup would: each invocation's SDK state (its journal, and the SDK core's state machine in wasm memory)
 * stays reachable for the life of the isolate. Every booking still comes out right.
 */
export const CHECKOUTS_KEPT: LeakingWorker = {
  name: "leak-checkouts-kept",
  bug: "every checkout's context is kept in a module-level array for the life of the isolate",
  edits: [
    {
      file: "checkout.ts",
      from: "/** The proof of concept's public entry: hands the booking to its Booking object, which runs it once and remembers its answer. */\nasync function processCheckout(ctx: restate.Context, request: CheckoutRequest): Promise<string> {\n",
      to: "const seenCheckouts: unknown[] = [];\n\n/** The proof of concept's public entry: hands the booking to its Booking object, which runs it once and remembers its answer. */\nasync function processCheckout(ctx: restate.Context, request: CheckoutRequest): Promise<string> {\n  seenCheckouts.push({ ctx, request });\n",
    },
  ],
};
