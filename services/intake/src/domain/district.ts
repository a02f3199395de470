/** "Jing'an", "jing’an" and "Jingan" are the same district: the key ignores case, accents of form and punctuation. */
export function districtKey(district: string): string {
  return district.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

export function sameDistrict(a: string, b: string): boolean {
  return districtKey(a) === districtKey(b);
}
