// Renders the event catalogue (docs/events.md) that analytics teams read: every topic, every
// event on it and every field, with the words the proto files already carry. Pure: it takes
// buf's JSON image of proto/oms/events/v1 and what @oms/contracts knows (which messages are
// events, which concern a store rather than an order) and returns Markdown.

/** The parts of a protobuf FileDescriptorSet, as `buf build -o image.json` writes it, read here. */
export interface ImageFile {
  name: string;
  package?: string;
  messageType?: MessageDescriptor[];
  enumType?: EnumDescriptor[];
  sourceCodeInfo?: { location?: SourceLocation[] };
}

export interface MessageDescriptor {
  name: string;
  field?: FieldDescriptor[];
  nestedType?: MessageDescriptor[];
  enumType?: EnumDescriptor[];
  options?: { mapEntry?: boolean };
}

export interface FieldDescriptor {
  name: string;
  number: number;
  label?: string;
  type: string;
  typeName?: string;
}

export interface EnumDescriptor {
  name: string;
  value?: { name: string; number: number }[];
}

export interface SourceLocation {
  path?: number[];
  leadingComments?: string;
  trailingComments?: string;
  leadingDetachedComments?: string[];
}

export interface CatalogueFacts {
  /** Fully qualified names of the messages that travel as an envelope's payload. */
  eventTypes: ReadonlySet<string>;
  /** Of those, the ones about a store or the chain: no order id, keyed otherwise. */
  storeLevelEventTypes: ReadonlySet<string>;
  /** Every topic the system creates; a file naming another is a mistake in the proto. */
  topics: readonly string[];
  retentionDays: number;
  deadLetterRetentionDays: number;
  compactedTopics: ReadonlySet<string>;
}

// FileDescriptorProto field numbers, for source-code-info paths.
const MESSAGE_TYPE = 4;
const ENUM_TYPE = 5;
const FIELD = 2;
const NESTED_TYPE = 3;
const ENUM_VALUE = 2;

const scalarNames: Record<string, string> = {
  TYPE_STRING: "string",
  TYPE_BYTES: "bytes",
  TYPE_BOOL: "bool",
  TYPE_INT32: "int32",
  TYPE_INT64: "int64",
  TYPE_UINT32: "uint32",
  TYPE_UINT64: "uint64",
  TYPE_SINT32: "sint32",
  TYPE_SINT64: "sint64",
  TYPE_FIXED32: "fixed32",
  TYPE_FIXED64: "fixed64",
  TYPE_SFIXED32: "sfixed32",
  TYPE_SFIXED64: "sfixed64",
  TYPE_DOUBLE: "double",
  TYPE_FLOAT: "float",
};

interface Described {
  fullName: string;
  name: string;
  comment: string;
}

interface Message extends Described {
  file: string;
  fields: (Described & { number: number; type: string; sealed: boolean })[];
}

interface Enum extends Described {
  values: (Described & { number: number })[];
}

interface TopicSection {
  topic: string;
  producer: string;
  about: string;
  file: string;
}

/** The catalogue as Markdown. Throws naming the file or event when the protos and the contracts disagree. */
export function renderEventCatalogue(files: readonly ImageFile[], facts: CatalogueFacts): string {
  const eventFiles = files.filter((f) => f.package === "oms.events.v1");
  const messages = new Map<string, Message>();
  const enums = new Map<string, Enum>();
  for (const file of eventFiles) collect(file, messages, enums);

  const envelope = messages.get("oms.events.v1.EventEnvelope");
  const actor = messages.get("oms.events.v1.Actor");
  if (!envelope || !actor) throw new Error("proto/oms/events/v1 has no EventEnvelope and Actor: the catalogue starts from them");

  const sections = eventFiles.flatMap((file) => topicSectionOf(file, facts));
  const eventsByTopic = new Map<string, Message[]>();
  for (const type of [...facts.eventTypes].sort()) {
    const message = messages.get(type);
    if (!message) throw new Error(`event ${type} is registered in @oms/contracts but no proto in oms.events.v1 declares it`);
    const section = sections.find((s) => s.file === message.file);
    if (!section) throw new Error(`${message.file} declares the event ${type} but no "Topic … — produced by …" comment names its topic`);
    eventsByTopic.set(section.topic, [...(eventsByTopic.get(section.topic) ?? []), message]);
  }
  for (const list of eventsByTopic.values()) list.sort((a, b) => declarationOrder(a, messages) - declarationOrder(b, messages));

  const shown = new Set<string>([envelope.fullName, actor.fullName, ...facts.eventTypes]);
  const referenced = typesReachableFrom([...facts.eventTypes], messages, enums).filter((name) => !shown.has(name));

  const out: string[] = [];
  out.push(
    "# Events on the topics",
    "",
    "Generated from `proto/oms/events/v1` by `npm run proto:generate`; do not edit by hand (`npm run proto:check`",
    "and the build check in `npm test` fail when it is stale). The proto files are the contract; this page is",
    "their reading copy, for the analytics teams and anyone else who consumes the topics. How topics and",
    "versions are governed: [ADR 003](adr/003-events-and-topics.md).",
    "",
    "## Reading a topic",
    "",
    "- **Every message is an `EventEnvelope`** (protobuf, below) whose `payload` is the event named by",
    "  `event_type`, encoded as that message. Decode the envelope, then the payload by its type; skip types",
    "  you do not know (new ones are added without notice) and fields you do not know.",
    "- **Keys**: order events are keyed by the order id, so one order's events stay in order on one",
    "  partition. Events about a store or the chain (marked *store-level* below) carry no order id and are",
    "  keyed by what they describe (the store, the item).",
    `- **Retention**: ${facts.retentionDays} days; ${[...facts.compactedTopics].map((t) => `\`${t}\``).join(", ") || "no topic"} is compacted (the latest message of each key stays for good). Each topic`,
    `  has a dead-letter topic \`<topic>.dlq\` (${facts.deadLetterRetentionDays} days) holding what a consumer could not apply, with the error in its headers.`,
    "- **Versions**: a payload's fields are only ever added; a change of meaning is a new message name,",
    "  published beside the old one for a while (`schema_version` names the payload's schema).",
    "- **Sealed fields** (`sealed_…`, bytes): a customer's or a desk's words, AES-256-GCM under the producing",
    "  service's key ring (ADR 024). They are opaque on the topic by design; their clear twin, where one",
    "  exists, is left empty.",
    "- **Delivery is at least once**: the same `event_id` can arrive twice (a relay retried, a backup",
    "  restored); count by `event_id`, not by message.",
    "",
  );
  out.push("## The envelope", "", envelope.comment, "", ...fieldTable(envelope, messages, enums), "", `### ${actor.name}`, "", actor.comment, "", ...fieldTable(actor, messages, enums), "");

  out.push("## Topics", "", "| topic | produced by | events |", "|---|---|---|");
  for (const section of [...sections].sort((a, b) => a.topic.localeCompare(b.topic))) {
    out.push(`| [\`${section.topic}\`](#${anchorOf(section.topic)}) | ${section.producer} | ${eventsByTopic.get(section.topic)?.length ?? 0} |`);
  }
  out.push("");

  for (const section of [...sections].sort((a, b) => a.topic.localeCompare(b.topic))) {
    out.push(`## ${section.topic}`, "", `Produced by ${section.producer}.${section.about ? ` ${section.about}` : ""}`, "");
    for (const event of eventsByTopic.get(section.topic) ?? []) {
      const storeLevel = facts.storeLevelEventTypes.has(event.fullName) ? " *(store-level)*" : "";
      out.push(`### ${event.name}`, "", `\`${event.fullName}\`${storeLevel}`, "");
      if (event.comment) out.push(event.comment, "");
      out.push(...fieldTable(event, messages, enums), "");
    }
  }

  if (referenced.length > 0) {
    out.push("## Types the events use", "");
    for (const name of referenced) {
      const message = messages.get(name);
      const enumeration = enums.get(name);
      if (message) {
        out.push(`### ${message.name}`, "");
        if (message.comment) out.push(message.comment, "");
        out.push(...fieldTable(message, messages, enums), "");
      } else if (enumeration) {
        out.push(`### ${enumeration.name}`, "");
        if (enumeration.comment) out.push(enumeration.comment, "");
        out.push("| value | name | meaning |", "|---|---|---|", ...enumeration.values.map((v) => `| ${v.number} | \`${v.name}\` | ${cell(v.comment)} |`), "");
      }
    }
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

function collect(file: ImageFile, messages: Map<string, Message>, enums: Map<string, Enum>): void {
  const comments = new Map<string, string>();
  for (const location of file.sourceCodeInfo?.location ?? []) {
    const text = [location.leadingComments, location.trailingComments].filter(Boolean).join(" ");
    if (location.path && text) comments.set(location.path.join("."), text);
  }
  const prefix = file.package ? `.${file.package}` : "";
  const visitMessage = (message: MessageDescriptor, path: number[], parent: string) => {
    const fullName = `${parent}.${message.name}`;
    messages.set(fullName.slice(1), {
      fullName: fullName.slice(1),
      name: message.name,
      file: file.name,
      comment: prose(comments.get(path.join("."))),
      fields: (message.field ?? []).map((field, i) => ({
        fullName: `${fullName.slice(1)}.${field.name}`,
        name: field.name,
        number: field.number,
        type: typeOf(field),
        sealed: field.type === "TYPE_BYTES" && field.name.startsWith("sealed_"),
        comment: prose(comments.get([...path, FIELD, i].join("."))),
      })),
    });
    (message.nestedType ?? []).forEach((nested, i) => visitMessage(nested, [...path, NESTED_TYPE, i], fullName));
    (message.enumType ?? []).forEach((nested, i) => visitEnum(nested, [...path, ENUM_TYPE, i], fullName));
  };
  const visitEnum = (enumeration: EnumDescriptor, path: number[], parent: string) => {
    const fullName = `${parent}.${enumeration.name}`.slice(1);
    enums.set(fullName, {
      fullName,
      name: enumeration.name,
      comment: prose(comments.get(path.join("."))),
      values: (enumeration.value ?? []).map((value, i) => ({ fullName: `${fullName}.${value.name}`, name: value.name, number: value.number, comment: prose(comments.get([...path, ENUM_VALUE, i].join("."))) })),
    });
  };
  (file.messageType ?? []).forEach((message, i) => visitMessage(message, [MESSAGE_TYPE, i], prefix));
  (file.enumType ?? []).forEach((enumeration, i) => visitEnum(enumeration, [ENUM_TYPE, i], prefix));
}

/** A file's "Topic <name> — produced by <service>. <more>" comment, the proto's own statement of where its events go. */
function topicSectionOf(file: ImageFile, facts: CatalogueFacts): TopicSection[] {
  for (const location of file.sourceCodeInfo?.location ?? []) {
    for (const comment of [...(location.leadingDetachedComments ?? []), location.leadingComments ?? ""]) {
      const match = /Topic (\S+) — produced by ([^.(]+?)\s*(?:\(([^)]*)\))?[.:]\s*([\s\S]*)$/.exec(prose(comment));
      if (!match) continue;
      const topic = match[1]!;
      if (!facts.topics.includes(topic)) throw new Error(`${file.name} names topic ${topic}, which the system does not create (packages/contracts/src/topics.ts)`);
      const producer = match[3] ? `${match[2]} (${match[3]})` : match[2]!;
      return [{ topic, producer, about: match[4]!.trim(), file: file.name }];
    }
  }
  return [];
}

function typeOf(field: FieldDescriptor): string {
  const base = field.typeName ? shortTypeName(field.typeName) : (scalarNames[field.type] ?? field.type);
  return field.label === "LABEL_REPEATED" ? `repeated ${base}` : base;
}

function shortTypeName(typeName: string): string {
  if (typeName === ".google.protobuf.Timestamp") return "Timestamp";
  return typeName.replace(/^\.oms\.events\.v1\./, "").replace(/^\./, "");
}

function fieldTable(message: Message, messages: Map<string, Message>, enums: Map<string, Enum>): string[] {
  if (message.fields.length === 0) return ["No fields: the envelope says it all."];
  return [
    "| # | field | type | meaning |",
    "|---|---|---|---|",
    ...message.fields.map((field) => {
      const name = field.type.replace(/^repeated /, "");
      const known = messages.has(`oms.events.v1.${name}`) || enums.has(`oms.events.v1.${name}`);
      const type = known ? field.type.replace(name, `[${name}](#${anchorOf(name)})`) : field.type;
      const sealed = field.sealed ? "**sealed.** " : "";
      return `| ${field.number} | \`${field.name}\` | ${type} | ${sealed}${cell(field.comment)} |`;
    }),
  ];
}

/** Message and enum names the events reach through their fields, in the order first met. */
function typesReachableFrom(roots: string[], messages: Map<string, Message>, enums: Map<string, Enum>): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  const visit = (fullName: string) => {
    if (seen.has(fullName)) return;
    seen.add(fullName);
    order.push(fullName);
    for (const field of messages.get(fullName)?.fields ?? []) {
      const name = `oms.events.v1.${field.type.replace(/^repeated /, "")}`;
      if (messages.has(name) || enums.has(name)) visit(name);
    }
  };
  for (const root of [...roots].sort()) visit(root);
  return order.filter((name) => !roots.includes(name)).sort();
}

function declarationOrder(message: Message, messages: Map<string, Message>): number {
  return [...messages.keys()].indexOf(message.fullName);
}

/** A comment as one paragraph: proto comments wrap at 100 columns, Markdown does not need it. */
function prose(comment: string | undefined): string {
  return (comment ?? "").split("\n").map((line) => line.trim()).filter(Boolean).join(" ");
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** GitHub's heading anchors: lower case, punctuation but hyphens dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, "").replace(/\s/g, "-");
}
