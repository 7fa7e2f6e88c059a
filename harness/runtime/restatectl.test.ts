import { describe, expect, it } from "vitest";
import { leadingNode, partitionLeaders } from "./restatectl.js";

describe("restatectl status", () => {
  it("sums the partitions each node leads", () => {
    const status = [
      "Node Configuration (v12)",
      " NODE-ID  NAME  UPTIME  METADATA  LEADER  FOLLOWER  NODESET-MEMBER  SEQUENCER  ROLES",
      " N1:2     n1    10s     Member    8       9         24              17         admin | worker",
      " N2:1     n2    10s     Member    8       6         24              5          admin | worker",
      " N3:1     n3    10s     Member    7       9         24              2          admin | worker",
    ].join("\n");
    expect(partitionLeaders(status)).toBe(23);
    expect(partitionLeaders("no table")).toBe(0);
    expect(leadingNode(status)).toBe(1);
    expect(leadingNode(status.replace(/ 8 {7}9/, " 0       9"))).toBe(2);
    expect(leadingNode("no table")).toBeUndefined();
  });
});
