import { describe, expect, it } from "vitest";
import { renderEventCatalogue, type CatalogueFacts, type ImageFile } from "./render.ts";

// A two-file image shaped as `buf build -o image.json` writes it: the envelope, and one
// producer's file whose detached comment names its topic.
const envelopeFile: ImageFile = {
  name: "oms/events/v1/envelope.proto",
  package: "oms.events.v1",
  messageType: [
    { name: "EventEnvelope", field: [{ name: "event_id", number: 1, label: "LABEL_OPTIONAL", type: "TYPE_STRING" }, { name: "actor", number: 11, label: "LABEL_OPTIONAL", type: "TYPE_MESSAGE", typeName: ".oms.events.v1.Actor" }] },
    { name: "Actor", field: [{ name: "kind", number: 1, label: "LABEL_OPTIONAL", type: "TYPE_STRING" }] },
  ],
  sourceCodeInfo: { location: [{ path: [4, 0], leadingComments: " Every event travels in this envelope.\n" }, { path: [4, 0, 2, 0], leadingComments: " Unique per event | deduplicate by it.\n" }] },
};

const shopFile = (topicComment = " Topic oms.shop.order.v1 — produced by shop (ADR 001). Keyed by order id.\n"): ImageFile => ({
  name: "oms/events/v1/shop.proto",
  package: "oms.events.v1",
  messageType: [
    { name: "Line", field: [{ name: "sku", number: 1, label: "LABEL_OPTIONAL", type: "TYPE_STRING" }] },
    {
      name: "OrderTaken",
      field: [
        { name: "lines", number: 1, label: "LABEL_REPEATED", type: "TYPE_MESSAGE", typeName: ".oms.events.v1.Line" },
        { name: "sealed_note", number: 2, label: "LABEL_OPTIONAL", type: "TYPE_BYTES" },
        { name: "taken_at", number: 3, label: "LABEL_OPTIONAL", type: "TYPE_MESSAGE", typeName: ".google.protobuf.Timestamp" },
      ],
    },
    { name: "ShelfCounted", field: [] },
  ],
  sourceCodeInfo: {
    location: [
      { path: [4, 0], leadingDetachedComments: [topicComment] },
      { path: [4, 1], leadingComments: " An order was taken:\n the shop's first word.\n" },
      { path: [4, 1, 2, 1], trailingComments: " The customer's words, sealed.\n" },
    ],
  },
});

const facts = (more: Partial<CatalogueFacts> = {}): CatalogueFacts => ({
  eventTypes: new Set(["oms.events.v1.OrderTaken", "oms.events.v1.ShelfCounted"]),
  storeLevelEventTypes: new Set(["oms.events.v1.ShelfCounted"]),
  topics: ["oms.shop.order.v1"],
  retentionDays: 7,
  deadLetterRetentionDays: 30,
  compactedTopics: new Set(),
  ...more,
});

describe("the event catalogue", () => {
  const page = renderEventCatalogue([envelopeFile, shopFile()], facts());

  it("lists each topic with its producer and how many events it carries, linked to its section", () => {
    expect(page).toContain("| [`oms.shop.order.v1`](#omsshoporderv1) | shop (ADR 001) | 2 |");
    expect(page).toContain("## oms.shop.order.v1\n\nProduced by shop (ADR 001). Keyed by order id.");
  });

  it("shows every field of an event with its type, its words joined into one line, and sealed fields marked", () => {
    expect(page).toContain("### OrderTaken\n\n`oms.events.v1.OrderTaken`\n\nAn order was taken: the shop's first word.");
    expect(page).toContain("| 1 | `lines` | repeated [Line](#line) |  |");
    expect(page).toContain("| 2 | `sealed_note` | bytes | **sealed.** The customer's words, sealed. |");
    expect(page).toContain("| 3 | `taken_at` | Timestamp |  |");
  });

  it("marks store-level events and says so of an event without fields", () => {
    expect(page).toContain("`oms.events.v1.ShelfCounted` *(store-level)*");
    expect(page).toContain("No fields: the envelope says it all.");
  });

  it("starts from the envelope, escaping what would break a table, and lists the types events use once", () => {
    expect(page).toContain("| 1 | `event_id` | string | Unique per event \\| deduplicate by it. |");
    expect(page).toContain("| 11 | `actor` | [Actor](#actor) |  |");
    expect(page.match(/### Line\n/g)).toHaveLength(1);
    expect(page.indexOf("## Types the events use")).toBeGreaterThan(page.indexOf("### ShelfCounted"));
  });

  it("refuses protos and contracts that disagree, naming what is wrong", () => {
    expect(() => renderEventCatalogue([envelopeFile, shopFile(" Events of the shop.\n")], facts())).toThrow(/shop\.proto declares the event oms\.events\.v1\.OrderTaken but no "Topic … — produced by …" comment/);
    expect(() => renderEventCatalogue([envelopeFile, shopFile(" Topic oms.shop.orders.v9 — produced by shop.\n")], facts())).toThrow(/names topic oms\.shop\.orders\.v9, which the system does not create/);
    expect(() => renderEventCatalogue([envelopeFile, shopFile()], facts({ eventTypes: new Set(["oms.events.v1.OrderLost"]) }))).toThrow(/OrderLost is registered in @oms\/contracts but no proto/);
    expect(() => renderEventCatalogue([shopFile()], facts())).toThrow(/no EventEnvelope/);
  });
});
