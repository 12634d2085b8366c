/**
 * Terminal progress for training: one line per epoch, redrawn in place on a TTY
 * (carriage return), or printed once at the end of each epoch otherwise (log files).
 */

export interface ProgressLine {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  reconstruction: number;
  kl: number;
  imagesPerSecond: number;
}

const WIDTH = 20;

export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly live: boolean,
  ) {}

  /** Redraw the current epoch's line (at most ~10 times a second). */
  update(p: ProgressLine): void {
    if (!this.live) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && p.batch < p.batches) return;
    this.lastDraw = now;
    this.stream.write(`\r${format(p)}\x1b[K`);
  }

  /** Finish the epoch's line, with the validation loss and time when known. */
  end(p: ProgressLine, extra: string): void {
    this.stream.write(`${this.live ? '\r' : ''}${format(p)}${extra}${this.live ? '\x1b[K' : ''}\n`);
  }
}

function format(p: ProgressLine): string {
  const done = Math.round((WIDTH * p.batch) / p.batches);
  const bar = '█'.repeat(done) + '░'.repeat(WIDTH - done);
  const epochs = String(p.epochs);
  return (
    `epoch ${String(p.epoch).padStart(epochs.length)}/${epochs} ${bar} ${String(p.batch).padStart(String(p.batches).length)}/${p.batches}` +
    ` loss ${p.loss.toFixed(2)} (rec ${p.reconstruction.toFixed(2)}, kl ${p.kl.toFixed(2)})` +
    ` ${Math.round(p.imagesPerSecond)} img/s`
  );
}
