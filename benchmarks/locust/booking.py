"""The nexus booking workload for Locust.

Everything comes from environment variables (docs/distributed.md lists them), so the same file runs under
`nexus bench`, plain `locust --headless`, and Locust's distributed mode (a master and workers, on machines of your
own or in Kubernetes):

  NEXUS_INGRESS (required)  Restate's ingress URL, e.g. https://<env>.env.<region>.restate.cloud:8080
  NEXUS_PREFIX (required)   the run's seat and booking id prefix: every process of a run shares it, the audit reads it
  NEXUS_WORKLOAD            trivial | hot-seat | matrix (default) | open
  NEXUS_USERS, NEXUS_SEATS  simulated users of the whole run (default 50) and seats per set (default 1000)
  NEXUS_DURATION            a timed workload's duration in seconds (default 30); NEXUS_ROUNDS hot-seat rounds (default 5)
  NEXUS_RATE                the open workload's checkouts per second, all processes together (default 10)
  NEXUS_MIX                 payment mix, e.g. card_success=90,card_decline=7,card_error=3 (the default)
  NEXUS_SEED                seeds each simulated user's draws (default 1)
  RESTATE_AUTH_TOKEN        sent as `Authorization: Bearer ...` when set (a Restate Cloud API key)
  NEXUS_SUMMARY             a file for the run's summary as JSON (counts and every latency sample); the master (or the
                            one process) prints it in a few lines of text either way

Locust users are not the simulated users here. Each Locust process (standalone, or each worker of a distributed run)
runs one `Booking` user, which runs that process's share of the workload: simulated users 1..NEXUS_USERS are dealt
round-robin over the processes, each seeded by its number in the whole run, so a split run draws what an unsplit one
does. Start as many Locust users as there are processes (`-u 1` alone, `-u N` with N workers). The workload ends by
itself (a timed one after NEXUS_DURATION, the hot seat after its rounds); the master (or the one process) then merges
every share's counts and exact latency samples into one summary and stops Locust.
"""

import json
import math
import os
import random
import sys
import time

import gevent
import gevent.event
from gevent.queue import Queue

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser
from locust.runners import MasterRunner, WorkerRunner

WORKLOADS = ("trivial", "hot-seat", "matrix", "open")
DEFAULT_MIX = "card_success=90,card_decline=7,card_error=3"
# The hot seat's rounds and any untimed share end within this many seconds, as a bound on a stuck run.
MAX_UNTIMED_S = 300
# Checkouts in flight when a timed workload's time is up are waited for this long (their answers count).
GRACEFUL_STOP_S = 60


def _required(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set: see the variables at the top of booking.py (docs/distributed.md)")
    return value


def _number(name, fallback, least=1):
    text = os.environ.get(name, str(fallback))
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= least:
        sys.exit(f"{name} must be a number of at least {least}, not {text!r}")
    return int(value) if value.is_integer() else value


def _mix_of(text):
    mix = []
    for part in text.split(","):
        method, _, share = part.partition("=")
        try:
            mix.append((method.strip(), float(share)))
        except ValueError:
            sys.exit(f"NEXUS_MIX takes method=share,..., not {text!r}")
    return mix


class Config:
    """The workload as the environment describes it."""

    def __init__(self):
        self.ingress = _required("NEXUS_INGRESS").rstrip("/")
        self.prefix = _required("NEXUS_PREFIX")
        self.workload = os.environ.get("NEXUS_WORKLOAD", "matrix")
        if self.workload not in WORKLOADS:
            sys.exit(f"NEXUS_WORKLOAD must be one of {', '.join(WORKLOADS)}, not {self.workload!r}")
        self.users = int(_number("NEXUS_USERS", 50))
        self.seats = int(_number("NEXUS_SEATS", 1000))
        self.duration_s = _number("NEXUS_DURATION", 30)
        self.rounds = int(_number("NEXUS_ROUNDS", 5))
        self.rate = _number("NEXUS_RATE", 10)
        self.mix = _mix_of(os.environ.get("NEXUS_MIX", DEFAULT_MIX))
        self.seed = int(_number("NEXUS_SEED", 1, 0))
        self.token = os.environ.get("RESTATE_AUTH_TOKEN")
        self.summary_path = os.environ.get("NEXUS_SUMMARY")


cfg = Config()
HEADERS = {"content-type": "application/json", **({"authorization": f"Bearer {cfg.token}"} if cfg.token else {})}


class Tally:
    """One share's counts and exact latency samples (ms), or several shares' merged."""

    COUNTS = ("requests", "confirmed", "conflicts", "declines", "errors", "dropped")
    TRENDS = ("requests", "confirmed", "refused")

    def __init__(self):
        self.counts = {name: 0 for name in self.COUNTS}
        self.samples = {name: [] for name in self.TRENDS}
        self.shares = 0

    def answer(self, status, ms):
        self.counts["requests"] += 1
        self.samples["requests"].append(ms)
        if status == 200:
            self.counts["confirmed"] += 1
            if cfg.workload != "trivial":
                self.samples["confirmed"].append(ms)
        elif status == 409:
            self.counts["conflicts"] += 1
            self.samples["refused"].append(ms)
        elif status == 402:
            self.counts["declines"] += 1
        else:
            self.counts["errors"] += 1

    def add(self, data):
        for name in self.COUNTS:
            self.counts[name] += data["counts"][name]
        for name in self.TRENDS:
            self.samples[name].extend(data["samples"][name])
        self.shares += data["shares"]

    def data(self):
        return {"counts": self.counts, "samples": self.samples, "shares": self.shares}


class SimulatedUser:
    """One simulated user: its number in the whole run, its seeded draws, the seats of the current set it saw taken."""

    def __init__(self, number):
        self.number = number
        self.random = random.Random(cfg.seed * 1000 + number)
        self.generation = 0
        self.taken = set()
        self.rounds_done = 0

    def payment_method(self):
        roll = self.random.random() * 100
        for method, share in cfg.mix:
            roll -= share
            if roll < 0:
                return method
        return "card_success"

    def next_seat(self, iteration):
        """Sustained contention: a set of N seats takes U + N checkouts (the run's iterations, numbered across every
        simulated user), then a fresh set replaces it, as a new event's would; a user picks among the set's seats it
        has not yet seen taken (a 200 or a 409)."""
        current = iteration // (cfg.users + cfg.seats)
        if current != self.generation:
            self.generation = current
            self.taken.clear()
        index = self.random.randrange(cfg.seats)
        for _ in range(cfg.seats):
            if index not in self.taken:
                break
            index = (index + 1) % cfg.seats
        return index


class Share:
    """The part of the workload one Locust process runs: share `index` of `count`."""

    def __init__(self, user, index, count):
        self.user = user
        self.index = index
        self.count = count
        self.tally = Tally()
        self.tally.shares = 1
        self.iterations = 0
        numbers = range(index + 1, cfg.users + 1, count)
        self.simulated = [SimulatedUser(n) for n in numbers]

    def next_iteration(self):
        """The run's iteration number of this share's next checkout: unique across every share."""
        iteration = self.iterations * self.count + self.index
        self.iterations += 1
        return iteration

    def post(self, path, body, name, headers=HEADERS):
        started = time.perf_counter()
        with self.user.client.post(path, data=body, headers=headers, name=name, catch_response=True) as response:
            ms = (time.perf_counter() - started) * 1000
            status = response.status_code or 0
            # Definite answers are successes for Locust's own statistics; the harness counts every status itself.
            if status in (200, 402, 409):
                response.success()
            else:
                response.failure(f"HTTP {status}")
        self.tally.answer(status, ms)
        return status

    def trivial_get(self, simulated):
        seat = f"{cfg.prefix}s{simulated.random.randrange(cfg.seats)}"
        self.post(f"/Ticket/{seat}/get", "{}", "get")

    def checkout(self, simulated, iteration, seat, index):
        booking_id = f"{cfg.prefix}b{iteration}"
        body = json.dumps({"ticketId": seat, "userId": f"u{simulated.number}", "paymentMethodId": simulated.payment_method(), "bookingId": booking_id})
        status = self.post("/Checkout/process", body, "checkout", {**HEADERS, "idempotency-key": booking_id})
        if index is not None and status in (200, 409):
            simulated.taken.add(index)

    def iterate(self, simulated):
        """One iteration of a simulated user: a read (trivial), a hot-seat round, or a checkout on the current set."""
        if cfg.workload == "trivial":
            self.trivial_get(simulated)
        elif cfg.workload == "hot-seat":
            round_ = simulated.rounds_done
            simulated.rounds_done += 1
            self.checkout(simulated, self.next_iteration(), f"{cfg.prefix}hot-{round_}", None)
        else:
            iteration = self.next_iteration()
            index = simulated.next_seat(iteration)
            self.checkout(simulated, iteration, f"{cfg.prefix}g{simulated.generation}-s{index}", index)

    def run(self):
        if cfg.workload == "open":
            self.run_open()
        elif cfg.workload == "hot-seat":
            greenlets = [gevent.spawn(self.rounds, s) for s in self.simulated]
            gevent.joinall(greenlets, timeout=MAX_UNTIMED_S)
        else:
            deadline = time.monotonic() + cfg.duration_s
            greenlets = [gevent.spawn(self.until, s, deadline) for s in self.simulated]
            gevent.joinall(greenlets, timeout=cfg.duration_s + GRACEFUL_STOP_S)

    def rounds(self, simulated):
        for _ in range(cfg.rounds):
            self.iterate(simulated)

    def until(self, simulated, deadline):
        while time.monotonic() < deadline:
            self.iterate(simulated)

    def run_open(self):
        """An open model: arrival j of the whole run is due at j / rate; this share takes every count-th arrival. An
        arrival that finds none of the share's simulated users free is dropped and counted, not delayed."""
        free = Queue()
        for simulated in self.simulated:
            free.put(simulated)
        arrivals = int(cfg.rate * cfg.duration_s)
        started = time.monotonic()
        running = []
        for arrival in range(self.index, arrivals, self.count):
            delay = started + arrival / cfg.rate - time.monotonic()
            if delay > 0:
                gevent.sleep(delay)
            if free.empty():
                self.tally.counts["dropped"] += 1
                continue
            running.append(gevent.spawn(self.arrive, free, free.get(), arrival))
        gevent.joinall(running, timeout=GRACEFUL_STOP_S)

    def arrive(self, free, simulated, arrival):
        try:
            index = simulated.next_seat(arrival)
            self.checkout(simulated, arrival, f"{cfg.prefix}g{simulated.generation}-s{index}", index)
        finally:
            free.put(simulated)


class Run:
    """What one process knows of the run: its share (a worker learns it from the master) and, on the master or the one
    process, every finished share merged."""

    def __init__(self):
        self.share_index = 0
        self.share_count = 1
        self.assigned = gevent.event.Event()
        self.claimed = False
        self.merged = Tally()
        self.written = False


run = Run()


@events.init.add_listener
def on_init(environment, **_kwargs):
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        runner.register_message("nexus_share_done", on_share_done)
    elif isinstance(runner, WorkerRunner):
        runner.register_message("nexus_share", on_share)
    else:
        run.assigned.set()


@events.test_start.add_listener
def on_test_start(environment, **_kwargs):
    """On the master: deals the shares to the workers before any user is spawned (messages to a worker arrive in order)."""
    runner = environment.runner
    if not isinstance(runner, MasterRunner):
        return
    workers = sorted(runner.clients.ready + runner.clients.running + runner.clients.spawning, key=lambda w: runner.get_worker_index(w.id))
    run.share_count = len(workers)
    requested = environment.parsed_options.num_users if environment.parsed_options else None
    if requested is not None and requested < len(workers):
        print(f"nexus: start one Locust user per worker (-u {len(workers)}): with -u {requested} some workers' shares would not run", file=sys.stderr)
    for index, worker in enumerate(workers):
        runner.send_message("nexus_share", {"index": index, "count": len(workers)}, client_id=worker.id)


def on_share(environment, msg, **_kwargs):
    run.share_index = msg.data["index"]
    run.share_count = msg.data["count"]
    run.assigned.set()


def on_share_done(environment, msg, **_kwargs):
    run.merged.add(msg.data)
    if run.merged.shares >= run.share_count:
        finish(environment)


def finish(environment):
    """Writes the merged summary once every share has reported, then stops Locust."""
    if not run.written:
        run.written = True
        print(f"nexus: every share finished ({run.merged.shares})", flush=True)
        write_summary(run.merged, complete=True)
    gevent.spawn(environment.runner.quit)


@events.quitting.add_listener
def on_quitting(environment, **_kwargs):
    """A run stopped before every share finished (a time limit, Ctrl-C) still says what it measured, as incomplete."""
    if isinstance(environment.runner, WorkerRunner) or run.written:
        return
    run.written = True
    write_summary(run.merged, complete=False)


class Booking(FastHttpUser):
    """Runs this process's share of the workload once, then reports it."""

    host = cfg.ingress
    wait_time = constant(0)
    # Every simulated user of the share may have a request in flight on this one user's connection pool.
    concurrency = max(10, cfg.users)
    network_timeout = 60.0
    connection_timeout = 60.0

    @task
    def run_share(self):
        if run.claimed:
            # A second Locust user in one process has no share of its own.
            raise StopUser()
        run.claimed = True
        if not run.assigned.wait(timeout=30):
            print("nexus: this worker got no share from the master within 30 s", file=sys.stderr, flush=True)
            raise StopUser()
        share = Share(self, run.share_index, run.share_count)
        print(f"nexus: share {share.index + 1} of {share.count} started ({len(share.simulated)} simulated users)", flush=True)
        share.run()
        runner = self.environment.runner
        if isinstance(runner, WorkerRunner):
            runner.send_message("nexus_share_done", share.tally.data())
        else:
            run.merged.add(share.tally.data())
            finish(self.environment)
        raise StopUser()


def percentile(sorted_samples, p):
    """The percentile p (0-1) of ascending samples, by linear interpolation between the two closest ranks."""
    if not sorted_samples:
        return 0.0
    i = p * (len(sorted_samples) - 1)
    below = sorted_samples[math.floor(i)]
    above = sorted_samples[math.ceil(i)]
    return below + (above - below) * (i - math.floor(i))


def write_summary(tally, complete):
    summary = {"workload": cfg.workload, "prefix": cfg.prefix, "complete": complete, **tally.data()}
    if cfg.summary_path:
        with open(cfg.summary_path, "w") as file:
            json.dump(summary, file)
    c = tally.counts

    def trend(name):
        s = sorted(tally.samples[name])
        if not s:
            return "no samples"
        return ", ".join(f"{label} {round(percentile(s, p))} ms" for label, p in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0)))

    print(
        f"nexus {cfg.workload} prefix {cfg.prefix}: {c['requests']} requests, {c['confirmed']} confirmed, {c['conflicts']} refused (409), "
        f"{c['declines']} declined (402), {c['errors']} errors, {c['dropped']} dropped arrivals, {tally.shares} shares{'' if complete else ' (INCOMPLETE)'}\n"
        f"  requests: {trend('requests')}\n  confirmed: {trend('confirmed')}\n  refused: {trend('refused')}",
        flush=True,
    )
