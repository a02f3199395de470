import { runServiceMain } from "@oms/service-kit";
import { intakeService } from "./service.ts";

await runServiceMain("intake", intakeService);
