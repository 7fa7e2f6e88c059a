/** A duration for people: "12.3 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Progress of long work. On a terminal (and not under CI) the phase running now stays on one live line with the
 * elapsed time, redrawn every second; elsewhere every phase and message is a plain line.
 */
export class Progress {
  private readonly started = Date.now();
  private readonly live = process.stdout.isTTY === true && process.env.CI !== "true";
  private phaseText = "";
  private timer: NodeJS.Timeout | undefined;

  /** Milliseconds since this progress began. */
  elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** Seconds since this progress began, e.g. "12.3 s". */
  elapsed(): string {
    return seconds(this.elapsedMs());
  }

  /** Names what runs now: a live line on a terminal, one plain line elsewhere. */
  phase(text: string): void {
    if (this.live) this.status(text);
    else console.log(`${text} (${this.elapsed()} elapsed)`);
  }

  /** Updates the live line only: where there is none, the lines already printed say enough. */
  status(text: string): void {
    if (!this.live) return;
    this.phaseText = text;
    this.timer ??= setInterval(() => this.draw(), 1000).unref();
    this.draw();
  }

  /** Prints a line of output above the live line. */
  log(line: string): void {
    if (this.live) process.stdout.write("\r\x1b[K");
    console.log(line);
    if (this.live && this.timer) this.draw();
  }

  /** Removes the live line; later output is plain. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) process.stdout.write("\r\x1b[K");
  }

  private draw(): void {
    const line = `… ${this.phaseText} (${this.elapsed()})`;
    const width = process.stdout.columns ?? 100;
    process.stdout.write(`\r\x1b[K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
  }
}
