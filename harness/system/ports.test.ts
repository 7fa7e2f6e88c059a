import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { choosePort, firstEphemeralPort, LOOPBACK } from "./ports.js";

describe("choosePort", () => {
  afterEach(() => {
    delete process.env.NEXUS_TEST_PORT;
  });

  it("hands out distinct free ports below the kernel's ephemeral range", async () => {
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await choosePort("test", "NEXUS_TEST_PORT"));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThan(1024);
      expect(port).toBeLessThan(firstEphemeralPort());
    }
  });

  it("returns the named port when it is free and refuses it with portInUse when it is taken", async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, LOOPBACK, () => resolve((server.address() as { port: number }).port)));
    try {
      process.env.NEXUS_TEST_PORT = String(port);
      await expect(choosePort("test", "NEXUS_TEST_PORT")).rejects.toMatchObject({ kind: "portInUse" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await choosePort("test", "NEXUS_TEST_PORT")).toBe(port);
  });
});
