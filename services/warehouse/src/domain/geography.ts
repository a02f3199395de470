/**
 * Where districts and stores are, as routing needs it: a district's name matched loosely,
 * a district's place looked up by that key, and distances between places. Pure.
 */

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** "Jing'an", "jing’an" and "Jingan" are the same district: the key ignores case, forms of a character and punctuation. */
export function districtKey(district: string): string {
  return district.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle (haversine) distance: as the crow flies, which is enough to rank stores of one city. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The place of a district on record under any spelling of its name (the first by name, so always the same one). */
export function locateDistrict(district: string, locations: Record<string, GeoPoint>): GeoPoint | undefined {
  const wanted = districtKey(district);
  const found = Object.entries(locations)
    .filter(([name]) => districtKey(name) === wanted)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return found[0]?.[1];
}
