import { cellLabel, type StoredCell } from "../harness/store/records.js";
import { BOOKING_DESIGNS } from "../worker/contract.js";

/**
 * The designs a run can measure: the Worker's two booking designs (BOOKING_DESIGN saga and seat-owned), the saga
 * served in bidirectional mode (opt-in), and the proof of concept's flow.
 */
export const DESIGNS = [...BOOKING_DESIGNS, "saga-bidi", "baseline"] as const;
export type Design = (typeof DESIGNS)[number];

/** The designs a run measures unless told otherwise: both of ours, and the baseline. */
export const DEFAULT_DESIGNS: Design[] = ["saga", "seat-owned", "baseline"];

/** One benchmark cell of a design this project measures. */
export interface Cell extends StoredCell {
  design: Design;
}

/** The payment mix of checkout workloads: mostly success, some declines, a few gateway errors. */
export const PAYMENT_MIX = { card_success: 90, card_decline: 7, card_error: 3 };

/** Gateway latency in ms per profile: none (the engine alone), the proof of concept's 500 ms, and a slow 5 s gateway. */
export const GATEWAY_LATENCY_MS = { fast: 0, original: 500, slow: 5_000 } as const;

/** The workloads of a run for one design, before interleaving with the other design. */
export function cellsFor(size: "smoke" | "quick" | "full", design: Cell["design"]): Cell[] {
  const d = size === "full" ? 30 : size === "quick" ? 8 : 5;
  const cells: Cell[] = [];
  cells.push({ design, workload: "trivial", users: 50, seats: 1000, durationS: d, gateway: "fast" });
  // The hot seat at each gateway latency: how long the losers wait while the winner's card is charged.
  const hotGateways = size === "smoke" ? (["fast"] as const) : (["fast", "original", "slow"] as const);
  for (const gateway of hotGateways)
    cells.push({
      design,
      workload: "hot-seat",
      users: size === "smoke" ? 20 : 50,
      seats: 1,
      rounds: size === "smoke" ? 2 : gateway === "slow" ? 2 : 5,
      durationS: 0,
      gateway,
    });
  const seats = size === "smoke" ? [20] : [1, 20, 1000];
  const users = size === "smoke" ? [50] : size === "quick" ? [10, 50, 200] : [10, 50, 100, 200];
  for (const s of seats) for (const u of users) cells.push({ design, workload: "matrix", users: u, seats: s, durationS: d, gateway: "fast" });
  if (size !== "smoke") {
    cells.push({ design, workload: "matrix", users: 50, seats: 1000, durationS: d, gateway: "original" });
    for (const rate of size === "quick" ? [10, 25, 50] : [10, 25, 50, 75, 100]) {
      cells.push({ design, workload: "open", users: 300, seats: 1000, rate, durationS: d, gateway: "fast" });
    }
  }
  return cells;
}

/** The cells of every design of a run, interleaved so both designs see the same machine state; `only` keeps the cells whose label contains it. */
export function interleavedCells(size: "smoke" | "quick" | "full", designs: Array<Cell["design"]>, only?: string): Cell[] {
  const perDesign = designs.map((d) => cellsFor(size, d).filter((c) => only === undefined || cellLabel(c).includes(only)));
  const out: Cell[] = [];
  for (let i = 0; i < perDesign[0]!.length; i++) for (const cells of perDesign) out.push(cells[i]!);
  return out;
}

/** The payment mix as booking.py reads it from NEXUS_MIX: `method=share,…`. */
export function mixText(mix: Record<string, number> = PAYMENT_MIX): string {
  return Object.entries(mix)
    .map(([method, share]) => `${method}=${share}`)
    .join(",");
}

/**
 * The environment that makes benchmarks/locust/booking.py run `cell` against `ingress` on the seats and bookings
 * named `prefix`, its draws seeded with `seed` (the variables are listed at the top of booking.py).
 */
export function loadEnvOf(cell: Cell, ingress: string, prefix: string, seed: number): Record<string, string> {
  return {
    NEXUS_INGRESS: ingress,
    NEXUS_PREFIX: prefix,
    NEXUS_WORKLOAD: cell.workload,
    NEXUS_USERS: String(cell.users),
    NEXUS_SEATS: String(cell.seats),
    NEXUS_MIX: mixText(),
    NEXUS_SEED: String(seed),
    ...(cell.workload === "hot-seat" ? { NEXUS_ROUNDS: String(cell.rounds ?? 1) } : { NEXUS_DURATION: String(cell.durationS) }),
    ...(cell.rate !== undefined ? { NEXUS_RATE: String(cell.rate) } : {}),
  };
}
