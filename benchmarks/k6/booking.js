// k6 workload for nexus benchmarks. The runner passes everything in NEXUS_BENCH (JSON): the ingress URL, the seat
// prefix, the workload, the k6 scenario, the payment mix and where to write the summary.
import { randomSeed } from "k6";
import http from "k6/http";
import exec from "k6/execution";
import { Counter } from "k6/metrics";

const cfg = JSON.parse(__ENV.NEXUS_BENCH);
// Seeded per virtual user: every design's run of a cell draws the same seats and payment methods in the same order.
randomSeed(cfg.seed * 1000 + __VU);

export const options = {
  scenarios: { cell: cfg.scenario },
  summaryTrendStats: ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"],
  // Declared so the summary carries the checkout requests' own latency; it cannot fail.
  thresholds: { "http_req_duration{name:checkout}": ["max>=0"], "http_req_duration{name:checkout,expected_response:true}": ["max>=0"] },
  discardResponseBodies: true,
};

const confirmed = new Counter("confirmed");
const conflicts = new Counter("conflicts");
const declines = new Counter("declines");
const errors = new Counter("errors");
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

function checkout() {
  const iteration = exec.scenario.iterationInTest;
  const seat = cfg.workload === "hot-seat" ? `${cfg.prefix}hot-${exec.vu.iterationInScenario}` : `${cfg.prefix}s${Math.floor(Math.random() * cfg.seats)}`;
  const bookingId = `${cfg.prefix}b${iteration}`;
  const body = JSON.stringify({ ticketId: seat, userId: `u${exec.vu.idInTest}`, paymentMethodId: paymentMethod(), bookingId });
  const res = http.post(`${cfg.ingress}/Checkout/process`, body, {
    headers: { ...JSON_HEADERS, "idempotency-key": bookingId },
    timeout: "60s",
    tags: { name: "checkout" },
  });
  if (res.status === 200) confirmed.add(1);
  else if (res.status === 409) conflicts.add(1);
  else if (res.status === 402) declines.add(1);
  else errors.add(1);
}

export default function () {
  if (cfg.workload === "trivial") trivialGet();
  else checkout();
}

export function handleSummary(data) {
  return { [cfg.summaryPath]: JSON.stringify(data) };
}
