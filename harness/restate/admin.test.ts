import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { querySql, waitUntilServed } from "./admin.js";

/** A local HTTP server answering each request with the next of `answers` (the last one repeats); records the paths. */
async function scripted(answers: Array<{ status: number; body: unknown }>): Promise<{ url: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? "");
    const answer = answers[Math.min(paths.length - 1, answers.length - 1)]!;
    request.resume();
    request.on("end", () => response.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("querySql", () => {
  it("asks again while a cluster partition is moving, and returns the rows once it answers", async () => {
    const moving = { status: 500, body: { message: "Datafusion error: External error: partition 2 doesn't exist on this node, this is benign" } };
    const admin = await scripted([moving, moving, { status: 200, body: { rows: [{ n: 3 }] } }]);
    servers.push(admin.server);
    expect(await querySql(admin.url, "SELECT 3 AS n")).toEqual([{ n: 3 }]);
    expect(admin.paths).toHaveLength(3);
  });

  it("asks again while a restarted cluster node has not opened its partition store", async () => {
    const opening = { status: 500, body: { message: "Datafusion error: Internal error: External error: expecting a partition store." } };
    const admin = await scripted([opening, { status: 200, body: { rows: [{ n: 1 }] } }]);
    servers.push(admin.server);
    expect(await querySql(admin.url, "SELECT 1 AS n")).toEqual([{ n: 1 }]);
    expect(admin.paths).toHaveLength(2);
  });

  it("passes any other error on at once", async () => {
    const admin = await scripted([{ status: 400, body: { message: "no such table: nope" } }]);
    servers.push(admin.server);
    await expect(querySql(admin.url, "SELECT * FROM nope")).rejects.toThrow(/HTTP 400.*no such table/);
    expect(admin.paths).toHaveLength(1);
  });
});

describe("waitUntilServed", () => {
  it("waits while an ingress does not know a service yet, probing a handler no service has (nothing is invoked)", async () => {
    const unknown = { status: 404, body: { message: "service 'Ticket' not found, make sure to register the service before calling it." } };
    const known = { status: 404, body: { message: "the service 'Ticket' exists, but the handler 'nexusServedProbe' was not found" } };
    const ingress = await scripted([unknown, unknown, known]);
    servers.push(ingress.server);
    await waitUntilServed([ingress.url], [{ name: "Ticket", ty: "VirtualObject" }]);
    expect(ingress.paths).toEqual(Array(3).fill("/Ticket/probe/nexusServedProbe"));
  });

  it("gives up with what it waited for when the service never shows", async () => {
    const ingress = await scripted([{ status: 404, body: { message: "service 'Checkout' not found" } }]);
    servers.push(ingress.server);
    await expect(waitUntilServed([ingress.url], [{ name: "Checkout", ty: "Service" }], 500)).rejects.toThrow(/know the service Checkout/);
    expect(ingress.paths.every((p) => p === "/Checkout/nexusServedProbe")).toBe(true);
  });
});
