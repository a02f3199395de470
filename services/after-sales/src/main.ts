import { runServiceMain } from "@oms/service-kit";
import { afterSalesService } from "./service.ts";

await runServiceMain("after-sales", afterSalesService);
