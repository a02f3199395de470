// `npm run token -- <caller> [hours]`: a bearer token from the demo chain's identity provider,
// for trying the API of a system started with the demo seeded (`npm start`). A real chain's
// tokens come from its own identity provider (INTAKE_TOKEN_*), never from this key.
import { callerOfClaims, claimsOfActor, defaultMaxTokenAgeSeconds, demoIdentityOf, mintCallerToken } from "@oms/identity";
import { loadDemoChain } from "@oms/service-kit";

const usage = "usage: npm run -s token -- <staff:<id>:<role>[@<store>,...] | customer:<id> | platform:<name>> [hours]\n";
const [actor, hoursText] = process.argv.slice(2);
if (actor === undefined || process.argv.length > 4) {
  process.stderr.write(usage);
  process.exit(2);
}
const identity = demoIdentityOf((await loadDemoChain()) as { identity?: unknown });
if (identity === undefined) {
  process.stderr.write("the demo chain file has no identity section\n");
  process.exit(1);
}
const hours = hoursText === undefined ? identity.tokenHours : Number(hoursText);
if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) {
  process.stderr.write(`hours must be a number above 0 and at most ${24 * 30}, got ${hoursText}\n${usage}`);
  process.exit(2);
}
if (hours * 3600 > defaultMaxTokenAgeSeconds) {
  // Signed as asked, but the gateway's default would refuse it a day after it was issued (ADR 022, "Forgetting revocations").
  process.stderr.write(`note: intake accepts a token at most INTAKE_TOKEN_MAX_AGE_SECONDS after it was issued (${defaultMaxTokenAgeSeconds / 3600} hours unless set)\n`);
}
const claims = claimsOfActor(actor);
try {
  // The gateway would refuse a token naming nobody; say so now rather than at the first request.
  callerOfClaims({ ...claims });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
process.stdout.write(`${mintCallerToken(identity.signingKey, identity, claims, { ttlSeconds: Math.round(hours * 3600) })}\n`);
