import type { FastifyBaseLogger } from "fastify";
import type { Logger } from "@oms/observability";

type Bindings = Parameters<FastifyBaseLogger["child"]>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger["child"]>[1]>;
type Level = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

/**
 * Fastify's childLoggerFactory for intake: each request's logger, bound to its id, made by
 * pino only when the request writes its first line at an enabled level. Fastify's default
 * makes pino's child for every request, and pino runs the redaction over the bindings as it
 * does: 3.5 KB allocated per accepted order, most of them for requests that log nothing (the
 * production level is info, an acceptance logs one line; the bench runs at warn). The lines
 * written are pino's child's own. A route with its own level or serializers gets its child at once.
 */
export function childLoggerOnFirstLine(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options);
  return new ChildOnFirstLine(logger as unknown as Logger, bindings) as unknown as FastifyBaseLogger;
}

type WriteLine = (this: Logger, ...args: unknown[]) => void;

class ChildOnFirstLine {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }

  trace(...args: unknown[]): void {
    this.#write("trace", args);
  }

  debug(...args: unknown[]): void {
    this.#write("debug", args);
  }

  info(...args: unknown[]): void {
    this.#write("info", args);
  }

  warn(...args: unknown[]): void {
    this.#write("warn", args);
  }

  error(...args: unknown[]): void {
    this.#write("error", args);
  }

  fatal(...args: unknown[]): void {
    this.#write("fatal", args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#made().child(bindings, options);
  }

  #write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return;
    const child = this.#made();
    (child[level] as WriteLine).apply(child, args);
  }

  #made(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings));
  }
}
