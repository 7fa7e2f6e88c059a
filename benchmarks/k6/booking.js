// k6 workload for nexus benchmarks. The runner passes everything in NEXUS_BENCH (JSON): the ingress URL, the seat
// prefix, the workload, the k6 scenario, the payment mix and where to write the summary.
import { randomSeed } from "k6";
import http from "k6/http";
import exec from "k6/execution";
import { Counter, Trend } from "k6/metrics";

const cfg = JSON.parse(__ENV.NEXUS_BENCH);
// Seeded per virtual user: every design's run of a cell draws the same seats and payment methods in the same order.
randomSeed(cfg.seed * 1000 + __VU);

export const options = {
  scenarios: { cell: cfg.scenario },
  summaryTrendStats: ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"],
  // Declared so the summary carries the checkout requests' own latency; it cannot fail.
  thresholds: { "http_req_duration{name:checkout}": ["max>=0"] },
  discardResponseBodies: true,
};

const confirmed = new Counter("confirmed");
const conflicts = new Counter("conflicts");
const declines = new Counter("declines");
const errors = new Counter("errors");
// Latency of the checkouts that confirmed and of those refused because the seat was taken, apart.
const confirmedDuration = new Trend("confirmed_duration", true);
const refusedDuration = new Trend("refused_duration", true);
const JSON_HEADERS = { "content-type": "application/json" };

function paymentMethod() {
  let roll = Math.random() * 100;
  for (const [method, share] of Object.entries(cfg.mix)) {
    roll -= share;
    if (roll < 0) return method;
  }
  return "card_success";
}

function trivialGet() {
  const seat = `${cfg.prefix}s${Math.floor(Math.random() * cfg.seats)}`;
  const res = http.post(`${cfg.ingress}/Ticket/${seat}/get`, "{}", { headers: JSON_HEADERS, tags: { name: "get" } });
  if (res.status === 200) confirmed.add(1);
  else errors.add(1);
}

// Sustained contention: a set of N seats takes U + N checkouts (the run's iterations, numbered across every virtual
// user: each of U users once more than there are seats), then a fresh set replaces it, as a new event's would. So the
// set sells out, its losers are refused, and a cell with 1 or 20 seats keeps selling for its whole duration instead of
// measuring only 409s after the first second. A user picks among the set's seats it has not yet seen taken.
const CHECKOUTS_PER_SET = cfg.users + cfg.seats;
let generation = 0;
const taken = new Set();

function nextSeat(iteration) {
  const current = Math.floor(iteration / CHECKOUTS_PER_SET);
  if (current !== generation) {
    generation = current;
    taken.clear();
  }
  let index = Math.floor(Math.random() * cfg.seats);
  for (let tries = 0; tries < cfg.seats && taken.has(index); tries++) index = (index + 1) % cfg.seats;
  return index;
}

function checkout() {
  const iteration = exec.scenario.iterationInTest;
  const index = cfg.workload === "hot-seat" ? exec.vu.iterationInScenario : nextSeat(iteration);
  const seat = cfg.workload === "hot-seat" ? `${cfg.prefix}hot-${index}` : `${cfg.prefix}g${generation}-s${index}`;
  const bookingId = `${cfg.prefix}b${iteration}`;
  const body = JSON.stringify({ ticketId: seat, userId: `u${exec.vu.idInTest}`, paymentMethodId: paymentMethod(), bookingId });
  const res = http.post(`${cfg.ingress}/Checkout/process`, body, {
    headers: { ...JSON_HEADERS, "idempotency-key": bookingId },
    timeout: "60s",
    tags: { name: "checkout" },
  });
  if (res.status === 200 || res.status === 409) taken.add(index);
  if (res.status === 200) {
    confirmed.add(1);
    confirmedDuration.add(res.timings.duration);
  } else if (res.status === 409) {
    conflicts.add(1);
    refusedDuration.add(res.timings.duration);
  } else if (res.status === 402) declines.add(1);
  else errors.add(1);
}

export default function () {
  if (cfg.workload === "trivial") trivialGet();
  else checkout();
}

export function handleSummary(data) {
  return { [cfg.summaryPath]: JSON.stringify(data) };
}
