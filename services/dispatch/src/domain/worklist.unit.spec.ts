import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { fieldsRefused } from "@oms/testing/refusals";
import { worklistQueryOf, type WorklistRequest } from "./worklist.ts";

const request = (overrides: Partial<WorklistRequest>): WorklistRequest => ({ staffId: "", storeId: "", statuses: [], ...overrides });

const fieldsOf = (overrides: Partial<WorklistRequest>, pageRefusals: FieldError[] = []) => fieldsRefused(() => worklistQueryOf(request(overrides), pageRefusals));

describe("a worklist request", () => {
  it("of a store asks for its tasks not yet ended, oldest first", () => {
    expect(worklistQueryOf(request({ storeId: "store-1" }))).toEqual({
      storeId: "store-1",
      statuses: ["pending", "assigned", "acknowledged", "in-progress", "reported"],
      order: "oldest-first",
    });
  });

  it("of a person asks for what they hold, soonest due first; never pending, which nobody holds", () => {
    expect(worklistQueryOf(request({ staffId: "rider-1" }))).toEqual({
      staffId: "rider-1",
      statuses: ["assigned", "acknowledged", "in-progress", "reported"],
      order: "soonest-due",
    });
    expect(worklistQueryOf(request({ staffId: "rider-1", statuses: ["pending"] })).statuses).toEqual([]);
  });

  it("of a person in a store narrows to both, in the person's order", () => {
    expect(worklistQueryOf(request({ staffId: "rider-1", storeId: "store-1", statuses: ["done"] }))).toMatchObject({ staffId: "rider-1", storeId: "store-1", statuses: ["done"], order: "soonest-due" });
  });

  it("takes the statuses asked, each once, whatever the order they came in", () => {
    expect(worklistQueryOf(request({ storeId: "store-1", statuses: ["done", "pending", "done", "cancelled"] })).statuses).toEqual(["pending", "done", "cancelled"]);
  });

  it("is refused naming every wrong field: nobody and no store, an unknown status, and its page's, which the caller checked", () => {
    const pageRefusal = { field: "pageToken", message: "is not a page token this list gave" };
    expect(fieldsOf({ statuses: ["assigned", "lost"] }, [pageRefusal])).toEqual([
      { field: "staffId", message: "or storeId is required" },
      { field: "storeId", message: "or staffId is required" },
      { field: "statuses[1]", message: "must be one of pending, assigned, acknowledged, in-progress, reported, done, cancelled" },
      pageRefusal,
    ]);
    expect(fieldsOf({ storeId: "store-1" }, [pageRefusal])).toEqual([pageRefusal]);
  });
});
