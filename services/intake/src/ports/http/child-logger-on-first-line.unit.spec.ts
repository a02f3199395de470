import { Writable } from "node:stream";
import Fastify, { LogController, type FastifyBaseLogger } from "fastify";
import { describe, expect, it, vi } from "vitest";
import { createLogger, type Logger } from "@oms/observability";
import { childLoggerOnFirstLine } from "./child-logger-on-first-line.ts";

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      const { time: _time, ...line } = JSON.parse(String(chunk)) as Record<string, unknown>;
      lines.push(line);
      done();
    },
  });
  const logger = createLogger({ service: "intake", pretty: false, destination, level }).child({ component: "http" });
  return { lines, logger };
}

const asFastify = (logger: Logger) => logger as unknown as FastifyBaseLogger;

describe("the request's logger made on its first line", () => {
  it("writes the lines pino's own child of the request writes", () => {
    const ours = capture("info");
    const pinos = capture("info");
    const batchFailed = new Error("the batch failed");
    const thrown = new Error("thrown");
    const write = (logger: FastifyBaseLogger) => {
      logger.info({ orderId: "o-1", storeId: "s-1" }, "order accepted");
      logger.warn("a dependency is %s", "unavailable");
      logger.error({ err: batchFailed }, "request failed");
      logger.error(thrown);
      logger.debug("not at this level");
      logger.child({ orderId: "o-2" }).info({ customer: { phone: "+86 138 0013 8000" } }, "nested");
    };
    write(childLoggerOnFirstLine(asFastify(ours.logger), { correlationId: "req-1" }, {}));
    write(asFastify(pinos.logger).child({ correlationId: "req-1" }, {}));
    expect(ours.lines).toHaveLength(5);
    expect(ours.lines).toEqual(pinos.lines);
    expect(JSON.stringify(ours.lines)).not.toContain("+86 138");
  });

  it("makes no child for a request that writes nothing at an enabled level, and one for one that does", () => {
    const { lines, logger } = capture("warn");
    const made = vi.spyOn(logger, "child");
    const quiet = childLoggerOnFirstLine(asFastify(logger), { correlationId: "req-quiet" }, {});
    quiet.info({ orderId: "o-1" }, "order accepted");
    quiet.debug("details");
    expect(quiet.level).toBe("warn");
    expect(made).not.toHaveBeenCalled();

    const failing = childLoggerOnFirstLine(asFastify(logger), { correlationId: "req-failing" }, {});
    failing.warn({ code: "kafka.unavailable" }, "a dependency is unavailable");
    failing.error("request failed");
    expect(made).toHaveBeenCalledTimes(1);
    expect(lines.map((line) => [line.correlationId, line.msg])).toEqual([
      ["req-failing", "a dependency is unavailable"],
      ["req-failing", "request failed"],
    ]);
  });

  it("gives a route with its own level its child at once", () => {
    const { lines, logger } = capture("warn");
    const made = vi.spyOn(logger, "child");
    const verbose = childLoggerOnFirstLine(asFastify(logger), { correlationId: "req-verbose" }, { level: "debug" });
    expect(made).toHaveBeenCalledTimes(1);
    verbose.debug("shown at the route's level");
    expect(lines).toMatchObject([{ correlationId: "req-verbose", msg: "shown at the route's level" }]);
  });

  it("is the request's logger in fastify, bound to the request's id", async () => {
    const { lines, logger } = capture("info");
    const app = Fastify({
      loggerInstance: asFastify(logger),
      logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "correlationId" }),
      childLoggerFactory: childLoggerOnFirstLine,
      genReqId: () => "req-7",
    });
    app.get("/quiet", async () => ({ ok: true }));
    app.get("/logs", async (request) => {
      request.log.info({ orderId: "o-7" }, "order accepted");
      return { ok: true };
    });
    app.get("/fails", async () => {
      throw new Error("boom");
    });
    // As problem-details.ts logs a 500.
    app.setErrorHandler(async (error, request, reply) => {
      request.log.error({ err: error }, "request failed");
      return reply.code(500).send({ title: "failed" });
    });
    expect((await app.inject({ url: "/quiet" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/logs" })).statusCode).toBe(200);
    expect((await app.inject({ url: "/fails" })).statusCode).toBe(500);
    await app.close();
    expect(lines).toMatchObject([
      { component: "http", correlationId: "req-7", orderId: "o-7", msg: "order accepted" },
      { level: "error", correlationId: "req-7", err: { message: "boom" } },
    ]);
  });
});
