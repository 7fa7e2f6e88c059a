/** A restate-server executable and the release it is ("custom" when the harness cannot tell). */
export interface RestateBinary {
  path: string;
  version: string;
}

/** Where a running Restate answers. */
export interface RestateEndpoints {
  /** Ingress, e.g. http://127.0.0.1:8080 */
  ingressUrl: string;
  /** Admin API, e.g. http://127.0.0.1:9070 */
  adminUrl: string;
}

/** The links between a cluster's nodes, which the harness can cut (each node runs in its own network namespace). */
export interface NodeLinks {
  /** The nodes' numbers, from 1. */
  readonly nodes: number[];
  /** Cuts the link between nodes `a` and `b`: every packet between them is dropped from now on, both ways. */
  cut(a: number, b: number): Promise<void>;
  /** Restores every cut link. */
  healAll(): Promise<void>;
  /** Runs `restatectl <args>` from node `from`'s side of the network (its namespace, its fabric address). */
  restatectl(args: string[], from: number): Promise<string>;
}

/** A Restate that is up. Everything above this interface is the same for every runtime. */
export interface StartedRestate extends RestateEndpoints {
  /** Which runtime this is: "binary", later "container", "cluster", "remote". */
  readonly runtime: string;
  /** Restate's version, as the runtime knows it. */
  readonly version: string;
  /** The server's log file, if the harness has one (a cluster: its first node's). */
  readonly logPath: string | undefined;
  /** Where the server's Prometheus metrics answer, where the harness reaches them (the native binary; undefined elsewhere). */
  readonly metricsUrl?: string;
  /** Every node's endpoints (one for a single server), for clients that spread their calls and fail over. */
  readonly endpoints: RestateEndpoints[];
  /** The links between its nodes, when the harness can cut them (a cluster whose nodes run in network namespaces). */
  readonly links?: NodeLinks;
  /** The URL under which the server reaches `url`, a server of the harness on loopback (`url` itself unless the server runs in its own network). */
  reach?(url: string): Promise<string>;
  /** Crashes the server now (SIGKILL; a cluster: the next node in turn); its data stays. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): it keeps its connections but answers nothing until `resume`. */
  pause(): Promise<void>;
  /** Thaws a paused server (SIGCONT). */
  resume(): Promise<void>;
  /** Starts the server again on the same data and ports (after kill or stop) and waits until it is ready. */
  restart(): Promise<void>;
  /**
   * Upgrades the server in place, when the runtime can (the native binary): stops it gracefully and starts the
   * executable `next` on the same ports and settings and, unless `emptyData` (the mistake of an upgrade that loses its
   * volume), the same data; ready when it resolves; says whether the old one stopped by itself (not killed after a bound).
   */
  upgrade?(next: RestateBinary, options?: { emptyData?: boolean }): Promise<{ graceful: boolean }>;
  /** Stops the server for good: gracefully, then by force after a bound. Safe to call twice. */
  stop(): Promise<void>;
}

/** A way to get a Restate: the native binary (here), a container, a cluster, a remote environment. */
export interface RestateRuntime {
  readonly name: string;
  /** Starts (or connects to) a Restate and waits until it accepts invocations. */
  start(): Promise<StartedRestate>;
}
