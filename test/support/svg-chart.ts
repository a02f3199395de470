/**
 * Line charts as inline SVG, hand-written so that a results page needs no library and
 * no network: one panel per figure, shared x axis in seconds.
 */
export interface Series {
  name: string;
  points: [number, number][];
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
  /** Vertical markers, e.g. where a fault was injected. */
  markers?: { x: number; label: string }[];
}

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

export function renderPanel(panel: Panel, width = 920, height = 260): string {
  const margin = { left: 64, right: 170, top: 28, bottom: 32 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = panel.series.flatMap((s) => s.points);
  const xs = [...all.map(([x]) => x), ...(panel.markers ?? []).map((m) => m.x)];
  const minX = Math.min(0, ...xs);
  const maxX = Math.max(1, ...xs);
  const maxY = niceCeiling(Math.max(1, ...all.map(([, y]) => y)));
  const sx = (x: number) => margin.left + ((x - minX) / (maxX - minX)) * plotW;
  const sy = (y: number) => margin.top + plotH - (y / maxY) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<text x="${margin.left}" y="16" font-size="13" font-weight="600">${escape(panel.title)}</text>`,
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (maxY / 4) * i;
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${sy(y) + 4}" text-anchor="end">${formatNumber(y)}${i === 4 ? ` ${escape(panel.unit)}` : ""}</text>`);
  }
  for (let i = 0; i <= 6; i++) {
    const x = minX + ((maxX - minX) / 6) * i;
    parts.push(`<text x="${sx(x)}" y="${margin.top + plotH + 16}" text-anchor="middle">${Math.round(x)} s</text>`);
  }
  for (const marker of panel.markers ?? []) {
    parts.push(`<line x1="${sx(marker.x)}" x2="${sx(marker.x)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#999" stroke-dasharray="3,3"/>`);
    parts.push(`<text x="${sx(marker.x) + 2}" y="${margin.top + 10}" fill="#666" font-size="9">${escape(marker.label)}</text>`);
  }
  panel.series.forEach((series, i) => {
    const color = palette[i % palette.length]!;
    if (series.points.length > 0) {
      const d = series.points.map(([x, y], j) => `${j === 0 ? "M" : "L"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join("");
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
    }
    const ly = margin.top + 12 + i * 15;
    parts.push(`<rect x="${margin.left + plotW + 12}" y="${ly - 8}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${margin.left + plotW + 26}" y="${ly + 1}">${escape(series.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

export function renderPage(title: string, subtitle: string, panels: Panel[]): string {
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}p{color:#555}figure{margin:0 0 18px}</style>",
    `</head><body><h1>${escape(title)}</h1><p>${escape(subtitle)}</p>`,
    ...panels.map((panel) => `<figure>${renderPanel(panel)}</figure>`),
    "</body></html>",
    "",
  ].join("\n");
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function formatNumber(value: number): string {
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
