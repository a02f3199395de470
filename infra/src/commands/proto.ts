// `npm run proto:generate` regenerates packages/contracts/src/gen from proto/;
// `npm run proto:check` fails when the committed code is stale.
import { generateContracts, staleContracts } from "../proto.ts";

const command = process.argv[2];
if (command === "generate") {
  generateContracts();
  process.stdout.write("contracts generated into packages/contracts/src/gen\n");
} else if (command === "check") {
  const stale = staleContracts();
  if (stale.length > 0) {
    process.stderr.write(`generated contracts are stale; run npm run proto:generate:\n  ${stale.join("\n  ")}\n`);
    process.exit(1);
  }
  process.stdout.write("generated contracts are up to date\n");
} else {
  process.stderr.write("usage: proto.ts generate|check\n");
  process.exit(2);
}
