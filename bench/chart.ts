/** Draws benchmark results as a small SVG bar chart (no dependencies, readable in any browser or on GitHub). */

/** One bar: a label and a value with its unit. */
export interface Bar {
  label: string;
  value: number;
  unit: string;
  /** The service (blue) or the bare engine it is measured against (grey). */
  series?: 'service' | 'bare';
}

/** Renders horizontal bars, each group scaled on its own unit. */
export function barChart(title: string, bars: Bar[]): string {
  const rowHeight = 28;
  const width = 760;
  const labelWidth = 300;
  const barMax = width - labelWidth - 120;
  const maxByUnit = new Map<string, number>();
  for (const b of bars) maxByUnit.set(b.unit, Math.max(maxByUnit.get(b.unit) ?? 0, b.value));
  const height = 50 + bars.length * rowHeight;
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = bars.map((b, i) => {
    const y = 40 + i * rowHeight;
    const w = Math.max(2, (b.value / (maxByUnit.get(b.unit) || 1)) * barMax);
    return [
      `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escape(b.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="18" fill="${b.series === 'bare' ? '#9aa0a6' : '#4f6bed'}"/>`,
      `<text x="${labelWidth + w + 6}" y="${y + 17}">${b.value.toLocaleString('en-US')} ${escape(b.unit)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="12" y="24" font-size="16" font-weight="bold">${escape(title)}</text>`,
    ...rows,
    '</svg>',
  ].join('\n');
}
