// Builders shared by dispatch's integration tests.
import { randomUUID } from "node:crypto";
import { EventTypes, newEvent, systemActor, type OrderEventOf, type PayloadOf } from "@oms/contracts";
import type { Staff } from "../domain/staff.ts";

export function staffMember(storeId: string, staffId: string, overrides: Partial<Staff> = {}): Staff {
  return {
    staffId,
    storeId,
    name: `Person ${staffId}`,
    roles: ["rider"],
    skills: [{ skill: "delivery", level: 2 }],
    regions: ["Jing'an"],
    capacity: 3,
    shift: { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] },
    timezone: "Asia/Shanghai",
    active: true,
    ...overrides,
  };
}

export function assignmentRequested(
  storeId: string,
  overrides: Partial<PayloadOf<typeof EventTypes.AssignmentRequested>> = {},
  orderId = randomUUID(),
): OrderEventOf<typeof EventTypes.AssignmentRequested> {
  return newEvent(
    EventTypes.AssignmentRequested,
    {
      taskId: `task-${randomUUID()}`,
      taskKind: "delivery",
      region: "Jing'an",
      skills: ["delivery"],
      priority: 1,
      dueFrom: "",
      dueUntil: "",
      ...overrides,
    },
    { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") },
  );
}

export const randomStore = () => `store-${randomUUID().slice(0, 8)}`;
