import { styleText } from "node:util";

type Colour = "green" | "red" | "yellow" | "dim" | "bold";

/** True when standard output is a terminal that may get colour: not piped, NO_COLOR unset, TERM not "dumb". */
export function colourOn(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb";
}

/** `text` in `colour` when standard output takes colour, else as it is. */
export function paint(text: string, colour: Colour): string {
  return colourOn() ? styleText(colour, text) : text;
}

/** A verdict word coloured by what it means: PASS green, FAIL red, anything else (SKIP, UNKNOWN) yellow. */
export function verdictWord(word: string): string {
  return paint(word, word === "PASS" ? "green" : word === "FAIL" ? "red" : "yellow");
}
