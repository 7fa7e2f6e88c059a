import type { IsolateSample } from "../store/soak-record.js";
import { readIsolateMemory } from "../worker/isolate-memory.js";

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;

/**
 * Reads the Worker's isolate through its inspector every `everyMs` (times relative to `epochMs`): heap as found, live
 * heap after a full GC, wasm memory, and which life of the Worker it is. A round that cannot reach the Worker (it is
 * being restarted) is counted as missed, not guessed.
 */
export class IsolateSampler {
  readonly samples: IsolateSample[] = [];
  missed = 0;
  private readonly lives = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;

  constructor(private readonly options: { inspectorPort: number; everyMs: number; epochMs: number }) {}

  /** Reads now and then every `everyMs` until `stop` (a round still reading when the next is due skips that one). */
  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.everyMs);
  }

  /** Stops reading, after the round under way and one last round. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reading;
    await this.readNow();
  }

  /** The latest reading, e.g. "live heap 6.1 MiB, wasm 1.3 MiB", or "none yet". */
  latestLine(): string {
    const last = this.samples[this.samples.length - 1];
    return last === undefined ? "none yet" : `live heap ${last.liveHeapMiB} MiB, wasm ${last.wasmMiB} MiB`;
  }

  private tick(): void {
    if (this.reading !== undefined) return;
    this.reading = this.readNow().finally(() => {
      this.reading = undefined;
    });
  }

  private async readNow(): Promise<void> {
    const memory = await readIsolateMemory(this.options.inspectorPort).catch(() => undefined);
    if (memory === undefined) {
      this.missed++;
      return;
    }
    if (!this.lives.has(memory.contextId)) this.lives.set(memory.contextId, this.lives.size + 1);
    this.samples.push({
      at: Date.now() - this.options.epochMs,
      life: this.lives.get(memory.contextId)!,
      heapUsedMiB: mib(memory.heapUsedBytes),
      heapTotalMiB: mib(memory.heapTotalBytes),
      liveHeapMiB: mib(memory.liveHeapBytes),
      wasmMiB: mib(memory.wasmBytes),
    });
  }
}
