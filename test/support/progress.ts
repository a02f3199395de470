/**
 * One status line on stderr, redrawn in place on a terminal (and every few seconds as a
 * plain line otherwise, so a log file gets a readable trace instead of a smear).
 */
export class ProgressLine {
  readonly #tty = Boolean(process.stderr.isTTY);
  #lastPlain = 0;
  #shown = false;

  update(fraction: number, label: string, detail: string): void {
    const width = 24;
    const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
    const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${label} | ${detail}`;
    if (this.#tty) {
      const columns = process.stderr.columns ?? 160;
      process.stderr.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
      this.#shown = true;
    } else if (Date.now() - this.#lastPlain > 5_000) {
      this.#lastPlain = Date.now();
      process.stderr.write(`${line}\n`);
    }
  }

  /** Ends the redrawn line so the next output starts on a fresh one. */
  done(): void {
    if (this.#tty && this.#shown) process.stderr.write("\n");
    this.#shown = false;
  }

  say(message: string): void {
    if (this.#tty && this.#shown) process.stderr.write("\r\x1b[2K");
    process.stderr.write(`${message}\n`);
    this.#shown = false;
  }
}
