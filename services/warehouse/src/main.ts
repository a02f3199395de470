import { runServiceMain } from "@oms/service-kit";
import { warehouseService } from "./service.ts";

await runServiceMain("warehouse", warehouseService);
