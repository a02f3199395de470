import { createHmac, randomUUID } from "node:crypto";
import { envKey, loadDemoChain, serviceNames, type ServiceName } from "@oms/service-kit";
import { freePorts } from "@oms/testing";
import { afterAll, beforeAll, expect } from "vitest";
import { orderContactsFromEnv } from "./app/order-contacts.ts";

/** For integration tests: the demo order (infra/demo/chain.json) under a fresh channel order id. */
export async function demoOrder(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown> & { channelOrderId: string }> {
  const { demoOrder } = await loadDemoChain();
  return { ...structuredClone(demoOrder), channelOrderId: `WEB-${randomUUID()}`, ...overrides } as Record<string, unknown> & { channelOrderId: string };
}

/** Contacts sealed as an intake started without INTAKE_PERSONAL_DATA_KEYS seals them (the development key). */
export const testOrderContacts = orderContactsFromEnv({}).contacts;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** A small JSON client of one intake instance, over real HTTP. */
export function httpClient(port: number) {
  const base = `http://127.0.0.1:${port}`;
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (metrics); keep the text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => send("GET", path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => send("POST", path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => send("PUT", path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => send("DELETE", path, undefined, headers),
  };
}

/** A port nothing listens on (a moment ago, nothing did): where "a service that is down" lives. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * Environment that tells a service where its peers' gRPC servers are
 * (`<SERVICE>_GRPC_ADDRESS`): those named in `at`, every other one at `elsewhere`.
 */
export function peersAt(elsewhere: string, at: Partial<Record<ServiceName, string>> = {}): Record<string, string> {
  return Object.fromEntries(serviceNames.map((name) => [envKey(name, "GRPC_ADDRESS"), at[name] ?? elsewhere]));
}

/** Test secrets of the marketplaces, as INTAKE_PLATFORM_SECRETS carries them. */
export const testPlatformSecrets = { tmall: "tmall-test-secret-0123456789", pinduoduo: "pinduoduo-test-secret-0123456789" };

/**
 * Posts a marketplace's order as the platform does: the exact bytes, signed with
 * `X-Platform-Signature` = hex HMAC-SHA256 of `${timestamp}.${body}`.
 */
export async function postSigned(
  port: number,
  platform: string,
  body: unknown,
  options: { secret?: string; timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const secret = options.secret ?? testPlatformSecrets[platform as keyof typeof testPlatformSecrets] ?? "";
  const signature = options.signature ?? createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex");
  const response = await fetch(`http://127.0.0.1:${port}/v1/channels/${platform}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-platform-timestamp": timestamp, "x-platform-signature": signature, ...options.headers },
    body: raw,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A paid Tmall order of the demo chain's items (infra/demo/chain.json `platforms.tmall`), 45,700 fen, to Jing'an. */
export function tmallOrder(overrides: Record<string, unknown> = {}) {
  return {
    tid: `41${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    buyer: { nick: "zhou_lan", mobile: "13800138000", receiver: { state: "Shanghai", city: "Shanghai", district: "Jing'an", address: "88 Nanjing West Road" } },
    orders: [
      { outer_iid: "TM-600100", title: "Kettle", num: 1, price_fen: 19_900 },
      { outer_iid: "TM-600300", title: "Towels", num: 2, price_fen: 12_900 },
    ],
    payment: { total_fee_fen: 45_700, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
    ...overrides,
  };
}

/** A paid Pinduoduo order (demo chain `platforms.pinduoduo`): one kettle to Pudong, 199 + 15 yuan postage. */
export function pinduoduoOrder(overrides: Record<string, unknown> = {}) {
  return {
    order_sn: `260501-${randomUUID()}`,
    receiver_name: "Wang Fang",
    receiver_phone: "13900139000",
    province: "Shanghai",
    city: "Shanghai",
    town: "Pudong",
    address: "1 Century Avenue",
    goods_id: "880001",
    goods_name: "Kettle",
    goods_count: 1,
    goods_price: "199.00",
    pay_amount: "214.00",
    postage: "15",
    discount_amount: "0",
    confirm_time: "2026-05-01 09:00:00",
    ...overrides,
  };
}

/** An answer that is problem details with this status (and, given one, this code). */
export function expectProblem(answer: HttpAnswer, status: number, code?: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get("content-type")).toContain("application/problem+json");
  if (code) expect(answer.body.code).toBe(code);
}

/**
 * For a spec file whose intakes take marketplaces' signed orders: the test platforms' secrets in
 * INTAKE_PLATFORM_SECRETS while its specs run, and what was there before put back after them.
 */
export function withTestPlatformSecrets(): void {
  const saved = process.env.INTAKE_PLATFORM_SECRETS;
  beforeAll(() => {
    process.env.INTAKE_PLATFORM_SECRETS = JSON.stringify(testPlatformSecrets);
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.INTAKE_PLATFORM_SECRETS;
    else process.env.INTAKE_PLATFORM_SECRETS = saved;
  });
}
