import { runServiceMain } from "@oms/service-kit";
import { archiveService } from "./service.ts";

await runServiceMain("archive", archiveService);
