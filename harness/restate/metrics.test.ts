import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { deploymentRequests } from "./metrics.js";

/** Serves `text` as a Prometheus exposition on loopback for the length of `use`. */
async function serving<T>(text: string, use: (url: string) => Promise<T>): Promise<T> {
  const server = createServer((_request, response) => response.end(text));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
  } finally {
    server.close();
  }
}

describe("deploymentRequests", () => {
  it("sums the invocation tasks started over every partition, and nothing else", async () => {
    const text = [
      "# TYPE restate_invoker_invocation_tasks_total counter",
      'restate_invoker_invocation_tasks_total{cluster_name="c",node_name="n",status="started",partition_id="3"} 2',
      'restate_invoker_invocation_tasks_total{cluster_name="c",node_name="n",status="completed",partition_id="3"} 2',
      'restate_invoker_invocation_tasks_total{cluster_name="c",node_name="n",status="started",partition_id="11"} 3',
      'restate_invoker_invocation_tasks_total{cluster_name="c",node_name="n",status="suspended",partition_id="11"} 1',
      'restate_invoker_client_requests_total{cluster_name="c",node_name="n",type="Http/request-response",status_code="200"} 5',
    ].join("\n");
    expect(await serving(text, deploymentRequests)).toBe(5);
  });

  it("is undefined where the runtime exposes no metrics", async () => {
    expect(await deploymentRequests(undefined)).toBeUndefined();
  });
});
