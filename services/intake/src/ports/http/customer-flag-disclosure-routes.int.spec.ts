import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt } from "../../test-fixtures.ts";

// Who was shown flagged customers' contacts, read back (ADR 024, twenty-fourth-session addendum):
// auditors and store managers working chain-wide, by flag and period, a page at a time.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
const reviewer = callerHeaders("staff:staff-he-rev:reviewer");
const auditor = callerHeaders("staff:staff-au-1:auditor");
const headOffice = callerHeaders("staff:staff-ho-sm:store-manager");
const managerOfA = callerHeaders("staff:staff-sm-a:store-manager@store-sh-jingan");

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

const freshPhone = () => {
  const digits = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  return { digits, written: `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` };
};

/** A reviewer lists the flags (the namespace holds far fewer than a page), which logs a showing under `requestId`. */
async function listedBy(caller: Record<string, string>, requestId: string) {
  expect((await api.get("/v1/customers/flags?pageSize=200", { ...caller, "x-request-id": requestId })).status).toBe(200);
}

describe("the flagged customers' showings log", () => {
  it("answers auditors and chain-wide store managers by flag — its phone in the body, its key or customer id in the query — and by period, never the contact", async () => {
    const phone = freshPhone();
    const flagged = await api.post("/v1/customers/flags", { phone: phone.written, reason: "paid with a stolen card" }, reviewer);
    expect(flagged.status).toBe(201);
    const key = flagged.body.customerKey as string;
    const before = new Date().toISOString();
    const first = randomUUID();
    await listedBy(reviewer, first);

    const byPhone = await api.post("/v1/customers/flags/disclosures/search", { phone: `+86${phone.digits}` }, auditor);
    expect(byPhone, JSON.stringify(byPhone.body)).toMatchObject({ status: 200, body: { customerKey: key } });
    expect(byPhone.headers.get("cache-control")).toBe("no-store");
    expect(byPhone.body.disclosures).toEqual([{ customerKeys: expect.arrayContaining([key]), shownTo: "staff:staff-he-rev", role: "reviewer", shownAt: expect.any(String), correlationId: first }]);
    expect(JSON.stringify(byPhone.body)).not.toContain(phone.digits.slice(3));

    const byKey = await api.get(`/v1/customers/flags/disclosures?customerKey=${encodeURIComponent(key)}`, headOffice);
    expect(byKey).toMatchObject({ status: 200, body: { customerKey: key, disclosures: [{ correlationId: first }] } });
    // A period before the showing holds none of it; one from before it does.
    const earlier = await api.get(`/v1/customers/flags/disclosures?customerKey=${encodeURIComponent(key)}&until=${encodeURIComponent(before)}`, auditor);
    expect(earlier.body.disclosures).toEqual([]);
    const since = await api.get(`/v1/customers/flags/disclosures?from=${encodeURIComponent(before)}&pageSize=1000`, auditor);
    expect(since.body.disclosures.map((d: { correlationId: string }) => d.correlationId)).toContain(first);
    expect(since.body).not.toHaveProperty("customerKey");

    // A flag by customer id is named by the id; a key nobody flagged answers none, not 404.
    const customerId = `c-${randomUUID()}`;
    expect((await api.put(`/v1/customers/${customerId}/flag`, { reason: "three refused deliveries" }, reviewer)).status).toBe(201);
    const second = randomUUID();
    await listedBy(reviewer, second);
    // A page of flags by id shows no contact: a listing is logged only for the phone it shows, under its own key.
    const byId = await api.get(`/v1/customers/flags/disclosures?customerId=${customerId}`, auditor);
    expect(byId).toMatchObject({ status: 200, body: { customerKey: `id:${customerId}`, disclosures: [] } });
    expect((await api.get(`/v1/customers/flags/disclosures?customerKey=${encodeURIComponent(key)}`, auditor)).body.disclosures.map((d: { correlationId: string }) => d.correlationId)).toEqual([first, second]);
  });

  it("reads whole a page at a time, oldest first, as every showings' log", async () => {
    const phone = freshPhone();
    const key = (await api.post("/v1/customers/flags", { phone: phone.written, reason: "r" }, reviewer)).body.customerKey as string;
    const requests = [randomUUID(), randomUUID(), randomUUID()];
    for (const requestId of requests) await listedBy(reviewer, requestId);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await api.get(`/v1/customers/flags/disclosures?customerKey=${encodeURIComponent(key)}&pageSize=2${token ? `&pageToken=${token}` : ""}`, auditor);
      expect(page.status).toBe(200);
      seen.push(...page.body.disclosures.map((d: { correlationId: string }) => d.correlationId));
      token = page.body.nextPageToken;
    } while (token);
    expect(seen).toEqual(requests);
  });

  it("refuses other roles, staff held to stores, bad filters and HEAD", async () => {
    for (const caller of [reviewer, callerHeaders("staff:s-1:customer-service"), callerHeaders("customer:c-42")]) {
      expect(await api.get("/v1/customers/flags/disclosures", caller)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    }
    expect(await api.get("/v1/customers/flags/disclosures", managerOfA)).toMatchObject({ status: 403, body: { code: "caller.chain-wide-only" } });
    expect(await api.post("/v1/customers/flags/disclosures/search", { customerId: "c-1" }, managerOfA)).toMatchObject({ status: 403, body: { code: "caller.chain-wide-only" } });

    const fieldsOf = async (answer: Promise<{ status: number; body: { errors?: { field: string }[] } }>) => {
      const { status, body } = await answer;
      expect(status).toBe(400);
      return body.errors?.map((e) => e.field);
    };
    expect(await fieldsOf(api.get("/v1/customers/flags/disclosures?customerId=c-1&customerKey=id:c-1", auditor))).toEqual(["customerKey"]);
    expect(await fieldsOf(api.get("/v1/customers/flags/disclosures?customerKey=phone:13900000000", auditor))).toEqual(["customerKey"]);
    expect(await fieldsOf(api.get("/v1/customers/flags/disclosures?from=yesterday", auditor))).toEqual(["from"]);
    expect(await fieldsOf(api.get("/v1/customers/flags/disclosures?from=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", auditor))).toEqual(["until"]);
    expect(await fieldsOf(api.get("/v1/customers/flags/disclosures?pageSize=1001", auditor))).toEqual(["pageSize"]);
    expect(await fieldsOf(api.get("/v1/customers/flags/disclosures?pageToken=not-ours", auditor))).toEqual(["pageToken"]);
    expect(await fieldsOf(api.post("/v1/customers/flags/disclosures/search", {}, auditor))).toEqual(["phone"]);
    expect(await fieldsOf(api.post("/v1/customers/flags/disclosures/search", { phone: "12" }, auditor))).toEqual(["phone"]);
    expect(await fieldsOf(api.post("/v1/customers/flags/disclosures/search", { phone: "+86 139 0000 0000", email: "a@b.cn" }, auditor))).toEqual(["email"]);

    const head = await fetch(`http://127.0.0.1:${intake.httpPort}/v1/customers/flags/disclosures`, { method: "HEAD", headers: auditor });
    expect(head.status).toBe(404);
  });
});
