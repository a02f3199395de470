/**
 * Amounts marketplaces send as decimal text ("199.00", "199.5"), read exactly into
 * integer minor units: digits only, never through a float, so "0.29" is 29 and not
 * 28.999…. More than two decimals is refused rather than rounded: it is not money.
 */
export type MinorUnitsParse = { ok: true; minor: number } | { ok: false; message: string };

const decimalAmount = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

export function minorUnitsOfDecimal(text: string): MinorUnitsParse {
  const match = decimalAmount.exec(text.trim());
  if (!match) {
    if (/^\d+\.\d{3,}$/.test(text.trim())) return { ok: false, message: "must have at most 2 decimals" };
    return { ok: false, message: 'must be a decimal amount such as "199.00"' };
  }
  const [, whole = "0", fraction = ""] = match;
  return { ok: true, minor: Number(whole) * 100 + Number(fraction.padEnd(2, "0")) };
}
