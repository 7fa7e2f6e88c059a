/** Restate's counter of invocation tasks by what happened to them; each task "started" is one request to the deployment. */
const INVOCATION_TASKS = /^restate_invoker_invocation_tasks_total\{([^}]*)\}\s+(\d+(?:\.\d+)?)$/;

/**
 * How many requests Restate has sent to its deployments so far (the Worker requests: every invocation attempt and every
 * resumption after a suspension), summed from the server's Prometheus metrics; undefined where the runtime does not
 * expose them (`metricsUrl` undefined). Counted by Restate, so nothing sits on the Worker's request path to count them.
 */
export async function deploymentRequests(metricsUrl: string | undefined): Promise<number | undefined> {
  if (metricsUrl === undefined) return undefined;
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`Restate's metrics at ${metricsUrl} answered HTTP ${response.status}`);
  let started = 0;
  for (const line of (await response.text()).split("\n")) {
    const match = INVOCATION_TASKS.exec(line);
    if (match && /(^|,)status="started"/.test(match[1]!)) started += Number(match[2]);
  }
  return started;
}

/** Restate's RocksDB block cache in use, bytes: one cache shared by its databases (each reports it), memtables charged to it. */
const BLOCK_CACHE_USE = /^restate_rocksdb_block_cache_usage_bytes\{[^}]*\}\s+(\d+(?:\.\d+)?(?:e\+?\d+)?)$/;

/**
 * How many bytes Restate's RocksDB block cache holds now (data blocks read, and the memtables, which are charged to
 * it), from the server's Prometheus metrics; undefined where the runtime does not expose them or the server does not
 * answer (it is restarting).
 */
export async function blockCacheUse(metricsUrl: string | undefined): Promise<number | undefined> {
  if (metricsUrl === undefined) return undefined;
  const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  const text = response?.ok ? await response.text().catch(() => undefined) : undefined;
  if (text === undefined) return undefined;
  let most: number | undefined;
  for (const line of text.split("\n")) {
    const match = BLOCK_CACHE_USE.exec(line);
    if (match) most = Math.max(most ?? 0, Number(match[1]));
  }
  return most;
}
