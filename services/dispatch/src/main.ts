import { runServiceMain } from "@oms/service-kit";
import { dispatchService } from "./service.ts";

await runServiceMain("dispatch", dispatchService);
