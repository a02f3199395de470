import { writeFileSync } from "node:fs";
import type { DemoChain, DemoStaff, DemoStore } from "@oms/service-kit";

/**
 * The benchmark's chain: the demo chain's two stores and price list, six more stores,
 * more goods, stock no run can exhaust and enough people that assignment never waits
 * for capacity — so the benchmark measures the system, not the demo data's limits.
 * Written to a file the services seed from (OMS_DEMO_CHAIN) when they support it.
 */
const extraStores: { storeId: string; name: string; city: string; areas: string[] }[] = [
  { storeId: "store-bj-chaoyang", name: "Chaoyang store", city: "Beijing", areas: ["Chaoyang", "Dongcheng", "Haidian"] },
  { storeId: "store-bj-haidian", name: "Haidian store", city: "Beijing", areas: ["Haidian", "Xicheng", "Fengtai"] },
  { storeId: "store-gz-tianhe", name: "Tianhe store", city: "Guangzhou", areas: ["Tianhe", "Yuexiu", "Haizhu"] },
  { storeId: "store-sz-nanshan", name: "Nanshan store", city: "Shenzhen", areas: ["Nanshan", "Futian", "Bao'an"] },
  { storeId: "store-hz-xihu", name: "West Lake store", city: "Hangzhou", areas: ["Xihu", "Shangcheng", "Gongshu"] },
  { storeId: "store-cd-jinjiang", name: "Jinjiang store", city: "Chengdu", areas: ["Jinjiang", "Wuhou", "Qingyang"] },
];

const extraGoods = [
  ["MUG-CERAMIC-2", "Ceramic mug set of 2", 6900],
  ["PILLOW-MEMORY", "Memory foam pillow", 15900],
  ["LAMP-DESK-LED", "LED desk lamp", 12900],
  ["PAN-NONSTICK-28", "Non-stick frying pan 28 cm", 16900],
  ["BLANKET-WOOL", "Wool blanket 150x200", 29900],
  ["TEA-OOLONG-250", "Oolong tea 250 g", 8800],
  ["KNIFE-SET-5", "Kitchen knife set of 5", 24900],
  ["HANGER-PACK-20", "Clothes hangers, pack of 20", 3900],
] as const;

/**
 * Goods each of the two Shanghai stores alone holds (both deliver to Huangpu): an order
 * with both, from a customer who accepts several parcels, is split over the two stores.
 */
const onlyAt: Record<string, readonly [string, string, number]> = {
  "store-sh-jingan": ["FRAME-PHOTO-A4", "Photo frame A4, oak", 7900],
  "store-sh-pudong": ["CLOCK-WALL-30", "Wall clock 30 cm", 11900],
};

const plenty = 50_000_000;

export function benchChain(demo: DemoChain): DemoChain {
  const template = demo.stores[0]!;
  const stores: DemoStore[] = [
    ...demo.stores,
    // The copies have no place on the map: routing ranks them by priority alone.
    ...extraStores.map((s, i) => ({ ...template, storeId: s.storeId, name: s.name, city: s.city, serviceAreas: s.areas, priority: 3 + i, location: undefined })),
  ].map((store) => ({
    ...store,
    // Routing must never queue an order for a store's daily volume: the benchmark measures the system.
    dailyCapacity: plenty,
    orderKinds: ["goods", "service"],
    fulfillmentMethods: ["ship", "pickup", "on-site"],
    // A manual review is a person's decision the benchmark does not play.
    reviewThresholdMinor: 100_000_000,
  }));
  const priceList = [
    ...demo.priceList,
    ...[...extraGoods, ...Object.values(onlyAt)].map(([sku, description, unitPriceMinor]) => ({ sku, description, kind: "goods" as const, unitPriceMinor })),
  ];
  const goods = priceList.filter((item) => item.kind === "goods");
  const heldOnlyElsewhere = (storeId: string, sku: string) => Object.entries(onlyAt).some(([holder, [only]]) => only === sku && holder !== storeId);
  const stock = stores.flatMap((store) =>
    goods.flatMap((item, i) =>
      heldOnlyElsewhere(store.storeId, item.sku)
        ? []
        : [{ storeId: store.storeId, sku: item.sku, location: `B-${String(1 + (i % 9)).padStart(2, "0")}-01`, onHand: plenty, safetyStock: 0 }],
    ),
  );
  const fullTime = { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] };
  const staff: DemoStaff[] = stores.flatMap((store) => {
    const code = store.storeId.replace(/^store-/, "");
    const person = (suffix: string, roles: string[], skills: string[]): DemoStaff => ({
      staffId: `staff-bench-${code}-${suffix}`,
      storeId: store.storeId,
      name: `Bench ${suffix} ${code}`,
      roles,
      skills: skills.map((skill) => ({ skill, level: 3 })),
      regions: store.serviceAreas,
      capacity: 1_000_000,
      shift: fullTime,
    });
    return [
      person("rider-1", ["rider"], ["delivery"]),
      person("rider-2", ["rider"], ["delivery"]),
      person("rider-3", ["rider"], ["delivery"]),
      person("tech-1", ["service-staff"], ["cleaning", "installation"]),
      person("tech-2", ["service-staff"], ["cleaning", "installation"]),
      person("counter-1", ["counter"], ["counter"]),
    ];
  });
  return { ...demo, chain: `${demo.chain} (benchmark)`, stores, priceList, stock, staff: [...demo.staff, ...staff] };
}

/**
 * Writes the benchmark chain for the services to seed from. `confirmation` replaces every
 * store's confirmation rules (the fault harness shortens them to seconds, so the follow-up,
 * the escalation and the cancellation by rule all come due during a run).
 */
export function writeBenchChain(demo: DemoChain, file: string, confirmation?: Pick<DemoStore, "confirmationFollowUpHours" | "confirmationCancelHours">): DemoChain {
  const bench = benchChain(demo);
  const chain = confirmation ? { ...bench, stores: bench.stores.map((store) => ({ ...store, ...confirmation })) } : bench;
  writeFileSync(file, `${JSON.stringify(chain, null, 2)}\n`);
  return chain;
}
