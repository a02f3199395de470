// The payload messages of every event, in one namespace for `import { events } from "@oms/contracts"`.
export * from "./gen/oms/events/v1/common.ts";
export * from "./gen/oms/events/v1/intake.ts";
export * from "./gen/oms/events/v1/fulfillment.ts";
export * from "./gen/oms/events/v1/warehouse.ts";
export * from "./gen/oms/events/v1/dispatch.ts";
export * from "./gen/oms/events/v1/billing.ts";
