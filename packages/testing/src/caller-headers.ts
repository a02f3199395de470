/**
 * The headers that make a request come from `actor` (`staff:<id>:<role>`, `customer:<id>`,
 * `platform:<name>`): every spec, the bench and the fault harness say who calls through here.
 */
export function callerHeaders(actor: string): Record<string, string> {
  return { "x-actor": actor };
}
