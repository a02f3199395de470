/**
 * The last lines a child process wrote, kept in memory so that a service that fails to
 * start can be explained where the failure is reported. CI keeps the failing test's output,
 * not the services' log files on the machine it threw away, so "see its log" alone left a
 * restart that timed out under load (chaos, kill -9 of intake) with nothing to go on.
 */
export class OutputTail {
  readonly #lines: string[] = [];
  readonly #maxLines: number;
  readonly #maxLineLength: number;
  #partial = "";

  constructor(maxLines = 15, maxLineLength = 400) {
    this.#maxLines = maxLines;
    this.#maxLineLength = maxLineLength;
  }

  /** Takes a chunk of output as it arrives; a line split across chunks is joined. */
  push(chunk: Buffer | string): void {
    const parts = (this.#partial + chunk.toString()).split("\n");
    this.#partial = parts.pop() ?? "";
    for (const line of parts) this.#keep(line);
  }

  /** The kept lines, oldest first, the unfinished last line included. */
  lines(): string[] {
    return this.#partial === "" ? [...this.#lines] : [...this.#lines, this.#cut(this.#partial)];
  }

  /** The kept lines as a block to append to an error message, or "" when nothing was written. */
  describe(): string {
    const lines = this.lines();
    return lines.length === 0 ? "" : `\n--- its last ${lines.length} line(s) of output ---\n${lines.join("\n")}`;
  }

  #keep(line: string): void {
    if (line.trim() === "") return;
    this.#lines.push(this.#cut(line));
    if (this.#lines.length > this.#maxLines) this.#lines.shift();
  }

  #cut(line: string): string {
    return line.length > this.#maxLineLength ? `${line.slice(0, this.#maxLineLength)}…` : line;
  }
}
