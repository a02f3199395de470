import { runServiceMain } from "@oms/service-kit";
import { fulfillmentService } from "./service.ts";

await runServiceMain("fulfillment", fulfillmentService);
