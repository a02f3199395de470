// `npm run proto:generate` regenerates packages/contracts/src/gen and docs/events.md from
// proto/; `npm run proto:check` fails when either committed copy is stale.
import { generateContracts, staleContracts } from "../proto.ts";
import { eventCatalogueFile, staleEventCatalogue, writeEventCatalogue } from "../event-catalogue/index.ts";

const command = process.argv[2];
if (command === "generate") {
  generateContracts();
  process.stdout.write("contracts generated into packages/contracts/src/gen\n");
  writeEventCatalogue();
  process.stdout.write(`event catalogue written to ${eventCatalogueFile}\n`);
} else if (command === "check") {
  const stale = staleContracts();
  if (stale.length > 0) {
    process.stderr.write(`generated contracts are stale; run npm run proto:generate:\n  ${stale.join("\n  ")}\n`);
    process.exit(1);
  }
  if (staleEventCatalogue()) {
    process.stderr.write(`${eventCatalogueFile} is stale; run npm run proto:generate\n`);
    process.exit(1);
  }
  process.stdout.write("generated contracts and the event catalogue are up to date\n");
} else {
  process.stderr.write("usage: proto.ts generate|check\n");
  process.exit(2);
}
