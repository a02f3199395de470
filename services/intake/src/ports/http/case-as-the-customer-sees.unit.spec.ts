import { describe, expect, it } from "vitest";
import type { afterSalesApi } from "@oms/contracts";
import { asTheCustomerSees } from "./case-as-the-customer-sees.ts";

const round = (rejectedBy: string, n: number): afterSalesApi.VisitRoundView => ({
  round: n,
  reportedAt: "2026-12-07T08:00:00.000Z",
  reportedBy: "tech-1",
  summary: "replaced the thermostat",
  rejectedAt: rejectedBy ? "2026-12-07T09:00:00.000Z" : "",
  rejectedBy,
  rejectionReason: rejectedBy ? "still cold" : "",
});

describe("a case as its customer reads it", () => {
  it("names who rejected each visit round only in kind: the customer, or the store for the desk agent who recorded it", () => {
    const staffView = { visitRounds: [round("staff:cs-7", 0), round("customer:c-42", 1), round("", 2)], carrierClaim: undefined, replacementLate: undefined } as unknown as afterSalesApi.CaseView;
    const seen = asTheCustomerSees(staffView);
    expect(seen.visitRounds.map((r) => r.rejectedBy)).toEqual(["store", "customer", ""]);
    expect(JSON.stringify(seen)).not.toContain("cs-7");
    // The rest of each round as the staff view has it.
    expect(seen.visitRounds[0]).toMatchObject({ reportedBy: "tech-1", rejectionReason: "still cold" });
  });
});
