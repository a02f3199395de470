import { runServiceMain } from "@oms/service-kit";
import { billingService } from "./service.ts";

await runServiceMain("billing", billingService);
