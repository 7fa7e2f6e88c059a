// k6 workload for nexus benchmarks. Everything comes from environment variables (docs/distributed.md lists them), so
// the same file runs under `nexus bench`, plain `k6 run`, the k6 operator's TestRun and `k6 cloud run`:
//   NEXUS_INGRESS (required)  Restate's ingress URL, e.g. https://<env>.env.<region>.restate.cloud:8080
//   NEXUS_PREFIX (required)   the run's seat and booking id prefix: every instance of a run shares it, the audit reads it
//   NEXUS_WORKLOAD            trivial | hot-seat | matrix (default) | open
//   NEXUS_USERS, NEXUS_SEATS  virtual users (default 50) and seats per set (default 1000)
//   NEXUS_DURATION            a timed cell's duration in seconds (default 30); NEXUS_ROUNDS hot-seat rounds (default 5);
//   NEXUS_RATE                the open workload's checkouts per second (default 10)
//   NEXUS_MIX                 payment mix, e.g. card_success=90,card_decline=7,card_error=3 (the default)
//   NEXUS_SEED                seeds each virtual user's draws (default 1)
//   RESTATE_AUTH_TOKEN        sent as `Authorization: Bearer …` when set (a Restate Cloud API key)
//   NEXUS_SUMMARY             where to write k6's JSON summary; unset, a short text summary goes to stdout
import { randomSeed } from "k6";
import http from "k6/http";
import exec from "k6/execution";
import { Counter, Trend } from "k6/metrics";

function required(name) {
  const value = __ENV[name];
  if (!value) throw new Error(`${name} is not set: see the variables at the top of booking.js (docs/distributed.md)`);
  return value;
}

function number(name, fallback, min = 1) {
  const value = Number(__ENV[name] ?? fallback);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}, not "${__ENV[name]}"`);
  return value;
}

function mixOf(text) {
  const mix = {};
  for (const part of text.split(",")) {
    const [method, share] = part.split("=");
    if (!method || !Number.isFinite(Number(share))) throw new Error(`NEXUS_MIX takes method=share,…, not "${text}"`);
    mix[method.trim()] = Number(share);
  }
  return mix;
}

const WORKLOADS = ["trivial", "hot-seat", "matrix", "open"];
const cfg = {
  ingress: required("NEXUS_INGRESS").replace(/\/+$/, ""),
  prefix: required("NEXUS_PREFIX"),
  workload: __ENV.NEXUS_WORKLOAD ?? "matrix",
  users: number("NEXUS_USERS", 50),
  seats: number("NEXUS_SEATS", 1000),
  durationS: number("NEXUS_DURATION", 30),
  rounds: number("NEXUS_ROUNDS", 5),
  rate: number("NEXUS_RATE", 10),
  mix: mixOf(__ENV.NEXUS_MIX ?? "card_success=90,card_decline=7,card_error=3"),
  seed: number("NEXUS_SEED", 1, 0),
  token: __ENV.RESTATE_AUTH_TOKEN,
  summaryPath: __ENV.NEXUS_SUMMARY,
};
if (!WORKLOADS.includes(cfg.workload)) throw new Error(`NEXUS_WORKLOAD must be one of ${WORKLOADS.join(", ")}, not "${cfg.workload}"`);

/** The k6 scenario of the workload: hot seat a closed model of rounds, open an arrival rate, the others timed. */
function scenario() {
  if (cfg.workload === "hot-seat") return { executor: "per-vu-iterations", vus: cfg.users, iterations: cfg.rounds, maxDuration: "5m" };
  if (cfg.workload === "open") {
    return { executor: "constant-arrival-rate", rate: cfg.rate, timeUnit: "1s", duration: `${cfg.durationS}s`, preAllocatedVUs: cfg.users, maxVUs: cfg.users };
  }
  return { executor: "constant-vus", vus: cfg.users, duration: `${cfg.durationS}s`, gracefulStop: "60s" };
}

export const options = {
  scenarios: { cell: scenario() },
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
const HEADERS = { "content-type": "application/json", ...(cfg.token ? { authorization: `Bearer ${cfg.token}` } : {}) };

// Seeded per virtual user, by its number in the whole test (the same across instances of a split run): every design's
// run of a cell, on one k6 or several, draws the same seats and payment methods in the same order.
let seeded = false;
function seedOnce() {
  if (seeded) return;
  randomSeed(cfg.seed * 1000 + exec.vu.idInTest);
  seeded = true;
}

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
  const res = http.post(`${cfg.ingress}/Ticket/${seat}/get`, "{}", { headers: HEADERS, tags: { name: "get" } });
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
    headers: { ...HEADERS, "idempotency-key": bookingId },
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
  seedOnce();
  if (cfg.workload === "trivial") trivialGet();
  else checkout();
}

/** A few lines for a run without NEXUS_SUMMARY (a pod's log, a terminal): the counts and the latency of checkouts. */
function textSummary(data) {
  const count = (name) => data.metrics[name]?.values.count ?? 0;
  const trend = (name) => {
    const v = data.metrics[name]?.values;
    return v ? `p50 ${Math.round(v.med)} ms, p90 ${Math.round(v["p(90)"])} ms, p99 ${Math.round(v["p(99)"])} ms, max ${Math.round(v.max)} ms` : "no samples";
  };
  const main = cfg.workload === "trivial" ? "http_req_duration" : "http_req_duration{name:checkout}";
  return [
    `nexus ${cfg.workload} prefix ${cfg.prefix}: ${count("http_reqs")} requests, ${count("confirmed")} confirmed, ${count("conflicts")} refused (409), ${count("declines")} declined (402), ${count("errors")} errors, ${count("dropped_iterations")} dropped iterations`,
    `  requests: ${trend(main)}`,
    `  confirmed: ${trend("confirmed_duration")}`,
    `  refused: ${trend("refused_duration")}`,
    "",
  ].join("\n");
}

export function handleSummary(data) {
  return cfg.summaryPath ? { [cfg.summaryPath]: JSON.stringify(data) } : { stdout: textSummary(data) };
}
