import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import { invoiceRepository, type InvoiceRow } from "../adapters/pg/invoice-repository.ts";
import { afterCredit, creditNoteFor, invoiceNumberOf, type InvoiceDraft } from "../domain/invoice.ts";

interface Recorded {
  invoiceId: string;
  draft: InvoiceDraft;
  origin: EventOrigin;
}

/**
 * Finance's invoice desk for one transaction. Documents are recorded as they are decided
 * (so a credit note later in the same transaction finds its invoice) and numbered together
 * by `issue`, the transaction's last step: each store's series is locked only from then to
 * the commit, stores in id order, after every order lock the transaction takes — so numbering
 * adds no deadlock and a rollback returns its numbers. A commit with a document left
 * unnumbered is refused by the database (migration 007).
 */
export class InvoiceDesk {
  readonly #tx: pg.ClientBase;
  #recorded: Recorded[] = [];

  constructor(tx: pg.ClientBase) {
    this.#tx = tx;
  }

  /** Records a decided invoice or credit note; `origin` is whoever caused it (for the event). */
  async record(draft: InvoiceDraft, origin: EventOrigin): Promise<void> {
    const invoiceId = randomUUID();
    await invoiceRepository.insertUnnumbered(this.#tx, invoiceId, draft, `${origin.actor.kind}:${origin.actor.id}`);
    this.#recorded.push({ invoiceId, draft, origin });
  }

  /** Refunds just recorded for an invoiced order: a credit note for each, while the invoice stands for anything. */
  async creditRefunds(orderId: string, refunds: readonly { refundId: string; amountMinor: number }[], origin: EventOrigin): Promise<void> {
    if (refunds.length === 0) return;
    let invoice = await invoiceRepository.standingInvoiceOf(this.#tx, orderId);
    if (!invoice) return;
    for (const refund of refunds) {
      const note = creditNoteFor(refund, invoice, orderId);
      if (!note) return;
      await this.record(note, origin);
      invoice = afterCredit(invoice, note);
    }
  }

  /** Numbers what was recorded and announces it; the transaction's last step. */
  async issue(outbox: EventAppender): Promise<InvoiceRow[]> {
    const recorded = this.#recorded;
    this.#recorded = [];
    if (recorded.length === 0) return [];
    const counts = new Map<string, number>();
    for (const { draft } of recorded) counts.set(draft.storeId, (counts.get(draft.storeId) ?? 0) + 1);
    const next = await invoiceRepository.drawNumbers(this.#tx, counts);
    const numbered = recorded.map(({ invoiceId, draft }) => {
      const number = next.get(draft.storeId)!;
      next.set(draft.storeId, number + 1);
      return { invoiceId, number, invoiceNumber: invoiceNumberOf(draft.storeId, number) };
    });
    const issued = await invoiceRepository.number(this.#tx, numbered);
    const rows = recorded.map(({ invoiceId }) => issued.get(invoiceId)!);
    await outbox.append(this.#tx, recorded.map((r, i) => announcement(rows[i]!, r.origin)));
    return rows;
  }
}

function announcement(row: InvoiceRow, origin: EventOrigin): OrderEvent {
  const money = (minor: number) => ({ minor, currency: row.currency });
  return newEvent(
    EventTypes.InvoiceIssued,
    {
      invoiceNumber: row.invoiceNumber,
      kind: row.kind,
      amount: money(row.amountMinor),
      tax: money(row.taxMinor),
      corrects: row.corrects,
      refundId: row.refundId,
      issuedAt: row.issuedAt.toISOString(),
    },
    { ...origin, storeId: row.storeId },
  );
}
