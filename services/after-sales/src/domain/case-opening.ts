/**
 * Opening a case (ADR 017): under the caller's id (ADR 015), about goods of the order, and
 * checked against the store's policy as it is opened: recorded either way, declined at
 * once with the reason when it is outside. Pure.
 */
import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { assertOwnOrder, callerLabel, unknownOrder, type CaseCaller } from "./case-callers.ts";
import { clearTextOf, wordsInTheClear } from "./customer-words.ts";
import { caseChannels, evolveCaseBy, policyDecider, type AfterSalesCase, type CaseChannel, type CaseEvent, type CaseLine } from "./case.ts";
import type { OrderFacts } from "./order-facts.ts";
import { caseKinds, isCaseKind, judgeAgainstPolicy, maxTextLength, type CaseKind, type Policy } from "./policy.ts";

export const maxIdLength = 200;
export const maxLines = 100;

/** An OpenCase request, its fields checked one by one (before the order is looked up). */
export interface CaseRequest {
  caseId: string;
  orderId: string;
  kind: CaseKind;
  channel: CaseChannel;
  description: string;
  lines: CaseLine[];
}

const isChannel = (value: string): value is CaseChannel => (caseChannels as readonly string[]).includes(value);

/**
 * The channels a customer's own case may name (ADR 017, twenty-sixth-session addendum). A call,
 * an e-mail or a counter visit is the desk's to take: the case then says the store took it, and
 * its CaseOpened is counted as such by whoever reads the topic. A customer opening their own is
 * online, as the gateway holds their orders to the online channels (ADR 022's addendum).
 */
export const customersOwnCaseChannels: readonly CaseChannel[] = ["online"];

/** The request's fields, each checked; the channel also against who opens it (`customersOwnCaseChannels`). */
export function checkedCaseRequest(input: { caseId: string; orderId: string; kind: string; channel: string; description: string; lines: readonly CaseLine[] }, opener: CaseCaller): CaseRequest {
  const fields: FieldError[] = [];
  const caseId = input.caseId.trim();
  if (!caseId) fields.push({ field: "caseId", message: "is required: the caller's own id for this case, so a retry is not a second one" });
  else if (caseId.length > maxIdLength) fields.push({ field: "caseId", message: `must be at most ${maxIdLength} characters` });
  const orderId = input.orderId.trim();
  if (!orderId) fields.push({ field: "orderId", message: "is required" });
  if (!isCaseKind(input.kind)) fields.push({ field: "kind", message: `must be one of ${caseKinds.join(", ")}` });
  if (!isChannel(input.channel)) fields.push({ field: "channel", message: `must be one of ${caseChannels.join(", ")}` });
  else if (opener.kind === "customer" && !customersOwnCaseChannels.includes(input.channel)) {
    const own = customersOwnCaseChannels.join(", ");
    fields.push({ field: "channel", message: `${input.channel} cases are taken by the store's staff, who record calls, e-mails and counter visits; a customer's own case uses the channel ${own}` });
  }
  const description = input.description.trim();
  if (!description) fields.push({ field: "description", message: "is required: what the customer asks for, or complains about" });
  else if (description.length > maxTextLength) fields.push({ field: "description", message: `must be at most ${maxTextLength} characters` });
  if ((input.kind === "return" || input.kind === "exchange") && input.lines.length === 0) fields.push({ field: "lines", message: `must name the goods to ${input.kind}` });
  if (input.lines.length > maxLines) fields.push({ field: "lines", message: `must be at most ${maxLines}` });
  const lines = input.lines.map((line) => ({ sku: line.sku.trim(), quantity: line.quantity }));
  lines.forEach((line, i) => {
    if (!line.sku) fields.push({ field: `lines[${i}].sku`, message: "is required" });
    else if (lines.findIndex((other) => other.sku === line.sku) !== i) fields.push({ field: `lines[${i}].sku`, message: `names ${line.sku} a second time` });
    if (!Number.isInteger(line.quantity) || line.quantity < 1) fields.push({ field: `lines[${i}].quantity`, message: "must be a whole number of at least 1" });
  });
  if (fields.length > 0) throw new ValidationError(fields);
  return { caseId, orderId, kind: input.kind as CaseKind, channel: input.channel as CaseChannel, description, lines };
}

/** What the order's other cases already named, by SKU (see `assertLinesOnOrder`). */
export type NamedQuantities = ReadonlyMap<string, number>;

/** The kinds of request that take goods back: what they name is not named again. */
const takesGoodsBack = (kind: CaseKind) => kind === "return" || kind === "exchange";

/**
 * Each line must be goods of the order, at most in the quantity ordered (summed over the
 * order's lines of that SKU) less what `namedElsewhere` says other requests already named.
 */
export function assertLinesOnOrder(lines: readonly CaseLine[], facts: OrderFacts, namedElsewhere: NamedQuantities = new Map()): void {
  const ordered = new Map<string, number>();
  for (const line of facts.lines) ordered.set(line.sku, (ordered.get(line.sku) ?? 0) + line.quantity);
  const fields: FieldError[] = [];
  lines.forEach((line, i) => {
    const quantity = ordered.get(line.sku);
    const named = namedElsewhere.get(line.sku) ?? 0;
    if (quantity === undefined) fields.push({ field: `lines[${i}].sku`, message: `${line.sku} is not on order ${facts.orderId}` });
    else if (line.quantity > quantity - named) {
      const message =
        named === 0
          ? `must be at most ${quantity}, the quantity of ${line.sku} ordered`
          : `must be at most ${Math.max(0, quantity - named)}: ${quantity} of ${line.sku} ordered, ${named} already named by the order's other returns and exchanges`;
      fields.push({ field: `lines[${i}].quantity`, message });
    }
  });
  if (fields.length > 0) throw new ValidationError(fields);
}

export interface CaseOpeningCommand {
  request: CaseRequest;
  opener: CaseCaller;
  facts: OrderFacts;
  policy: Policy;
  /**
   * What the order's other returns and exchanges not declined named, by SKU, read under the
   * order's lock: a return or an exchange names at most what is left of the goods.
   */
  namedByOtherCases: NamedQuantities;
  correlationId: string;
  now: Date;
}

/**
 * The events of a case opened now: `CaseOpened`, and `CaseDeclined` by the policy when the
 * request is outside it. A complaint taken in is due an answer within the policy's hours.
 * A request that needs a delivered order, asked before after-sales heard of the delivery, is
 * refused and not recorded (`after-sales.not-delivered-yet`).
 */
export function decideOpening(command: CaseOpeningCommand): CaseEvent[] {
  const { request, opener, facts, policy, now } = command;
  assertOwnOrder(opener, facts.customerId, () => unknownOrder(facts.orderId));
  assertLinesOnOrder(request.lines, facts, takesGoodsBack(request.kind) ? command.namedByOtherCases : undefined);
  const judgement = judgeAgainstPolicy(request.kind, facts, policy, now);
  const policyNote = judgement.withinPolicy ? "" : judgement.note;
  const respondBy = request.kind === "complaint" && judgement.withinPolicy ? new Date(now.getTime() + policy.complaintResponseHours * 3600_000) : undefined;
  const opened: CaseEvent = {
    type: "CaseOpened",
    opening: {
      caseId: request.caseId,
      orderId: facts.orderId,
      storeId: facts.storeId,
      kind: request.kind,
      channel: request.channel,
      description: wordsInTheClear(request.description),
      lines: request.lines,
      openedBy: callerLabel(opener),
      openedAt: now,
      correlationId: command.correlationId,
      withinPolicy: judgement.withinPolicy,
      policyNote,
      ...(respondBy ? { respondBy } : {}),
    },
  };
  if (judgement.withinPolicy) return [opened];
  return [opened, { type: "CaseDeclined", explanation: policyNote, byPolicy: true, by: policyDecider, at: now }];
}

/** The case as `decideOpening`'s events leave it. */
export function caseOpenedBy(events: readonly CaseEvent[]): AfterSalesCase {
  const opened = evolveCaseBy(undefined, events);
  if (!opened) throw new Error("no case opened");
  return opened;
}

const sameLines = (a: readonly CaseLine[], b: readonly CaseLine[]) => {
  const key = (lines: readonly CaseLine[]) => JSON.stringify([...lines].sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0)).map((l) => [l.sku, l.quantity]));
  return key(a) === key(b);
};

/**
 * Whether `asked` repeats the case already stored under its id (a retry after a lost
 * answer): the same order, opener, kind, channel, description and goods. The stored
 * description comes opened by the app (it is kept sealed). The id used for anything else is
 * refused, naming it (ADR 015), never the words: recording it would need the id twice.
 */
export function isRepeatOfOpening(asked: AfterSalesCase, stored: AfterSalesCase): true {
  const same =
    stored.orderId === asked.orderId &&
    stored.openedBy === asked.openedBy &&
    stored.kind === asked.kind &&
    stored.channel === asked.channel &&
    clearTextOf(stored.description, "the stored description") === clearTextOf(asked.description, "the asked description") &&
    sameLines(stored.lines, asked.lines);
  if (same) return true;
  throw new IllegalStateError("after-sales.case-id-reused", `case ${asked.caseId} was already opened for another order, opener, kind or content`);
}
