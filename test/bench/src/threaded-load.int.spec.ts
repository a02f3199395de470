import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoChain } from "@oms/service-kit";
import { IntakeRecorder } from "../../support/intake-load.ts";
import { parseMix } from "../../support/order-factory.ts";
import { placeOrdersInWorker } from "./threaded-load.ts";

// A stand-in for intake in a thread of its own, so that blocking the test's main thread
// blocks neither side of the wire: it answers 201 with an order id and notes when each request arrived.
const serverSource = `
const http = require("node:http");
const { parentPort } = require("node:worker_threads");
const arrivals = [];
let n = 0;
const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    arrivals.push(performance.timeOrigin + performance.now());
    response.writeHead(201, { "content-type": "application/json" });
    response.end(JSON.stringify({ orderId: "order-" + ++n }));
  });
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
parentPort.on("message", () => parentPort.postMessage({ arrivals }));
`;

describe("the bench's load generator in a worker thread", () => {
  let server: Worker;
  let intakeUrl: string;

  beforeAll(async () => {
    server = new Worker(serverSource, { eval: true });
    const { port } = await new Promise<{ port: number }>((resolve) => server.once("message", resolve));
    intakeUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => server.terminate());

  const arrivalsSoFar = async () => {
    server.postMessage("arrivals?");
    return (await new Promise<{ arrivals: number[] }>((resolve) => server.once("message", resolve))).arrivals;
  };

  it("keeps sending on schedule and times answers while the main thread is blocked", async () => {
    const chain = await loadDemoChain();
    const recorder = new IntakeRecorder();
    const followed: string[] = [];
    const rate = 200;
    const placing = placeOrdersInWorker({
      intakeUrl,
      maxSockets: 16,
      chain,
      mix: parseMix(undefined),
      runId: "threaded-load",
      seed: 7,
      rate,
      durationMs: 1_500,
      recorder,
      onAccepted: (order) => followed.push(order.orderId),
    });
    // The block starts once the generator is sending: a worker thread's start-up takes
    // from a tenth of a second to more than one on a loaded 2-core machine.
    while ((await arrivalsSoFar()).length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const blockedFrom = performance.timeOrigin + performance.now();
    const blockMs = 600;
    while (performance.timeOrigin + performance.now() < blockedFrom + blockMs); // the bench's main thread, busy
    const blockedTo = performance.timeOrigin + performance.now();
    const summary = await placing;

    expect(summary).toMatchObject({ offered: 300, sent: 300, dropped: 0 });
    expect(recorder.accepted.size).toBe(300);
    expect(new Set(followed).size).toBe(300);
    expect(recorder.latency.count).toBe(300);
    const arrivals = await arrivalsSoFar();
    const duringBlock = arrivals.filter((at) => at >= blockedFrom && at < blockedTo).length;
    // ~120 requests were due while the main thread was blocked; a generator on that thread would have sent none.
    expect(duringBlock).toBeGreaterThan((rate * blockMs) / 1000 / 4);
    // Nor is the block charged to the answers: a generator on the main thread would time some at ≥ 600 ms.
    expect(recorder.latency.percentiles().max).toBeLessThan(blockMs);
  });

  it("says once when its thread runs, before any answer, and stops when that callback fails", async () => {
    const chain = await loadDemoChain();
    const settings = { intakeUrl, maxSockets: 4, chain, mix: parseMix(undefined), runId: "threaded-load-start", seed: 3, rate: 50, durationMs: 400 };
    const recorder = new IntakeRecorder();
    const answersWhenStarted: number[] = [];
    await placeOrdersInWorker({ ...settings, recorder, onStarted: () => answersWhenStarted.push(recorder.latency.count) });
    expect(answersWhenStarted).toEqual([0]);

    const failing = placeOrdersInWorker({
      ...settings,
      durationMs: 5_000,
      recorder: new IntakeRecorder(),
      onStarted: () => {
        throw new Error("could not lower thread 1 to priority idle with chrt");
      },
    });
    await expect(failing).rejects.toThrow("could not lower thread 1 to priority idle with chrt");
  });
});
