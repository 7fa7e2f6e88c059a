import { choosePort, LOOPBACK } from "../system/ports.js";

/**
 * Settings every Restate server the harness starts shares: compact logs without colour codes, no telemetry, and
 * memtable budgets of 32 MiB for the partition store and 16 MiB for the log server. The partition store writes
 * without RocksDB's WAL, so a killed server replays the log from the last memtable flush; with the default budget
 * (49 % of 2 GiB) nothing is flushed in hours at the soak's load, and each restart replays the whole run (its ready
 * time grew from 0.9 s to 4.4 s in 6 minutes at 12 checkouts/s; with 32 MiB it stayed at 0.7–1.2 s). The log server's
 * memtable, left to its default share, grew 29 → 49 MiB in one 3-minute life an hour into a soak without a flush, and
 * with it the server's RSS by ~100 MiB; at 16 MiB it flushes every few minutes. A deployment that wants bounded
 * recovery and memory sizes them the same way (docs/soak.md).
 */
export const HARNESS_SERVER_ENV: Readonly<Record<string, string>> = {
  RESTATE_LOG_FORMAT: "compact",
  RESTATE_LOG_DISABLE_ANSI_CODES: "true",
  RESTATE_DISABLE_TELEMETRY: "true",
  RESTATE_WORKER__STORAGE__ROCKSDB_MEMORY_BUDGET: "32MiB",
  RESTATE_LOG_SERVER__ROCKSDB_MEMORY_BUDGET: "16MiB",
};

/**
 * Chooses loopback ports for one server (free ones, or those NEXUS_INGRESS_PORT / NEXUS_ADMIN_PORT / NEXUS_NODE_PORT
 * name) and returns the environment that binds it there with data under `baseDir` (as the server sees that path),
 * and where its ingress, admin API and metrics answer.
 */
export async function singleServerEnv(
  baseDir: string,
  nodeName: string,
): Promise<{ env: Record<string, string>; ingressUrl: string; adminUrl: string; metricsUrl: string }> {
  const ingressPort = await choosePort("Restate ingress", "NEXUS_INGRESS_PORT");
  const adminPort = await choosePort("Restate admin", "NEXUS_ADMIN_PORT");
  const nodePort = await choosePort("Restate node", "NEXUS_NODE_PORT");
  return {
    env: {
      RESTATE_INGRESS__BIND_ADDRESS: `${LOOPBACK}:${ingressPort}`,
      RESTATE_ADMIN__BIND_ADDRESS: `${LOOPBACK}:${adminPort}`,
      RESTATE_BIND_ADDRESS: `${LOOPBACK}:${nodePort}`,
      RESTATE_ADVERTISED_ADDRESS: `http://${LOOPBACK}:${nodePort}`,
      RESTATE_BASE_DIR: baseDir,
      RESTATE_NODE_NAME: nodeName,
      ...HARNESS_SERVER_ENV,
    },
    ingressUrl: `http://${LOOPBACK}:${ingressPort}`,
    adminUrl: `http://${LOOPBACK}:${adminPort}`,
    // The node's port serves its Prometheus metrics.
    metricsUrl: `http://${LOOPBACK}:${nodePort}/metrics`,
  };
}
