import { afterEach, describe, expect, it } from "vitest";
import { colourOn } from "./colour.js";

const terminal = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe("colour", () => {
  const saved = { NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it("is on for a terminal, off when piped, off with NO_COLOR (any value) and on a dumb terminal", () => {
    delete process.env.NO_COLOR;
    process.env.TERM = "xterm";
    expect(colourOn(terminal)).toBe(true);
    expect(colourOn(pipe)).toBe(false);
    process.env.NO_COLOR = "";
    expect(colourOn(terminal)).toBe(false);
    delete process.env.NO_COLOR;
    process.env.TERM = "dumb";
    expect(colourOn(terminal)).toBe(false);
  });
});
