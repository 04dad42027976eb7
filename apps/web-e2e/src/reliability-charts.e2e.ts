/// <reference lib="dom" />
// Charts a VP reads (issue 23): error-budget burn as small multiples of the worst SLOs with the
// rest in a table, labelled axes with units, annotations that never overlap, text at the theme's
// sizes, and a review that prints cleanly on A4 and Letter.
import type { Browser, Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiHarness, startApi } from '@hindsight/server-app/testing';
import { Scenario } from '@hindsight/server-testing';
import { ARTIFACTS, buildWholePage, launchBrowser, screenshot, WEB_ROOT } from './support/browser';
import { signInAt } from './support/incident.fixtures';
import { pdfPages } from './support/pdf-text';
import { quietWeeksThenBurst, serviceWithSlo } from './support/reliability.fixtures';

let api: ApiHarness;
let browser: Browser;
let page: Page;

const SERVICES = 11;
const PANELS = 8;
const name = (i: number) => `svc-${String(i).padStart(2, '0')}`;

beforeAll(async () => {
  api = await startApi({}, { webRoot: WEB_ROOT });
  browser = await launchBrowser();
  const world = await Scenario.asAdmin(api);
  const vp = await world.person({ email: 'vp@test.local', name: 'Vic President', role: 'VIEWER' });
  const teamId = await world.team({ name: 'Platform' });
  const ids: string[] = [];
  for (let i = 1; i <= SERVICES; i++) ids.push(await serviceWithSlo(world, teamId, name(i), 20));
  // A short SEV3 a week on each of the services in turn, shorter for the later ones; last week,
  // a burst of long outages on svc-01 (far beyond its budget: the axis must be capped).
  await quietWeeksThenBurst(
    world,
    (week) => {
      const i = (week % SERVICES) + 1;
      return { serviceId: ids[i - 1] ?? '', minutes: 60 - i * 3 };
    },
    { serviceId: ids[0] ?? '', count: 6, title: (i) => `Outage ${i + 1}`, minutes: (i) => 300 + i * 20 },
  );
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signInAt(page, api.url, vp);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

/** Every chart drawn (scrolled to, as each is built when near): the trend canvases, the histogram, the burn panels. */
async function chartsReady() {
  await buildWholePage(page);
  await page.getByTestId('burn-multiples').waitFor();
  await page.locator('[data-chart="histogram"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-chart="trend"] canvas').length >= 7);
}

it('draws the worst eight SLOs as small multiples on a capped axis, and the rest in a table', async () => {
  await page.goto(`${api.url}/reliability?period=13w`);
  await chartsReady();
  const panels = page.locator('[data-chart="small-multiple"]');
  expect(await panels.count()).toBe(Math.min(PANELS, SERVICES));
  const rest = page.getByTestId('burn-rest');
  expect(await rest.locator('tbody tr').count()).toBe(SERVICES - PANELS);
  // Worst first, and every SLO exactly once: a panel or a row.
  const panelNames = (await panels.locator('figcaption strong').allTextContents()).map((t) => t.split(' · ')[0]);
  const rowNames = await rest.locator('tbody tr th').allTextContents();
  expect(panelNames[0]).toBe(name(1));
  expect([...panelNames, ...rowNames].sort()).toEqual(Array.from({ length: SERVICES }, (_, i) => name(i + 1)));
  // svc-01's worst week is thousands of percent: the axis stops at 300 % and says so.
  expect(await page.getByTestId('burn-explainer').textContent()).toContain('The axis stops at 300 %');
  expect(await panels.first().locator('[data-over]').count()).toBeGreaterThan(0);
  const ticks = await panels.first().locator('.hs-chart__tick').allTextContents();
  expect(ticks).toEqual(expect.arrayContaining(['0 %', '100 %', '300 %']));
  expect(ticks.some((t) => /\d{4,}/.test(t.replace(/\D/g, '')))).toBe(false);
  await screenshot(page, 'reliability-charts-1440');
  await page.locator('[aria-labelledby="trend-burn"]').screenshot({ path: join(ARTIFACTS, 'reliability-charts-burn-1440.png') });
  await page.locator('[aria-labelledby="chart-ttr"]').screenshot({ path: join(ARTIFACTS, 'reliability-charts-histogram-1440.png') });
  await page.locator('[aria-labelledby="trend-durations"]').screenshot({ path: join(ARTIFACTS, 'reliability-charts-durations-1440.png') });
});

for (const width of [1440, 390]) {
  it(`labels every chart's axes, keeps annotations apart and its text at the theme's sizes (${width} px)`, async () => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${api.url}/reliability?period=13w`);
    await chartsReady();
    // Layout settles after the canvases follow their containers.
    await page.waitForTimeout(300);
    const report = await page.evaluate(() => {
      const px = (value: string) => {
        const probe = document.createElement('span');
        probe.style.fontSize = value;
        document.body.append(probe);
        const size = parseFloat(getComputedStyle(probe).fontSize);
        probe.remove();
        return size;
      };
      const root = getComputedStyle(document.documentElement);
      const themeSizes = ['--hs-chart-text', '--hs-text-xs', '--hs-text-sm', '--hs-text-md', '--hs-text-lg', '--hs-text-xl', '--hs-text-figure'].map((v) => px(root.getPropertyValue(v).trim()));
      const min = Math.min(...themeSizes);
      const max = Math.max(...themeSizes);
      const charts = [...document.querySelectorAll<HTMLElement>('[data-chart]')];
      const missingAxes: string[] = [];
      const overlaps: string[] = [];
      const sizes: string[] = [];
      let annotations = 0;
      const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      for (const chart of charts) {
        const name = chart.querySelector('[aria-label]')?.getAttribute('aria-label') ?? chart.dataset['chart'] ?? '?';
        for (const axis of ['x', 'y']) {
          const title = chart.querySelector(`[data-axis="${axis}"]`);
          if (!title || !visible(title) || !(title.textContent ?? '').trim()) missingAxes.push(`${name}: ${axis}`);
        }
        const boxes = [...chart.querySelectorAll('.hs-chart__annotation')].filter(visible).map((a) => ({ text: a.textContent, r: a.getBoundingClientRect() }));
        annotations += boxes.length;
        boxes.forEach((a, i) =>
          boxes.slice(i + 1).forEach((b) => {
            if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom) overlaps.push(`${name}: "${a.text}" and "${b.text}"`);
          }),
        );
        // Every piece of text the chart shows, at the size it is drawn (an SVG's scale included).
        const texts = [...chart.querySelectorAll('text, p, span, strong, figcaption, li, th, td, summary')].filter((el) => visible(el) && [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? '').trim()));
        for (const el of texts) {
          const ctm = el instanceof SVGGraphicsElement ? el.getScreenCTM() : null;
          const size = parseFloat(getComputedStyle(el).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
          if (size < min - 0.5 || size > max + 0.5) sizes.push(`${name}: "${(el.textContent ?? '').slice(0, 30)}" at ${size.toFixed(1)} px`);
        }
      }
      const histogramTicks = document.querySelectorAll('[data-chart="histogram"] .hs-chart__tick').length;
      return { charts: charts.length, missingAxes, overlaps, sizes, annotations, histogramTicks, range: [min, max] };
    });
    // 5 trends, the outlook, the histogram, the factor bars and 8 burn panels.
    expect(report.charts).toBeGreaterThanOrEqual(7 + 1 + 1 + PANELS);
    expect(report.missingAxes).toEqual([]);
    expect(report.annotations).toBeGreaterThan(0);
    expect(report.overlaps).toEqual([]);
    expect(report.sizes).toEqual([]);
    expect(report.histogramTicks).toBeGreaterThan(4);
    await screenshot(page, `reliability-charts-${width}`);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
}

it('prints the review on A4 and Letter: clean section starts, whole rows, the error-budget table, no blank blocks', async () => {
  await page.goto(`${api.url}/reliability?period=13w`);
  await page.getByRole('link', { name: 'Open the review' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reliability review' }).waitFor();
  await chartsReady();
  await page.getByRole('region', { name: /Error budgets now/ }).getByRole('cell', { name: name(SERVICES) }).waitFor();

  // The print layout at A4's printable width (210 mm less 2 × 12 mm).
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 703, height: 1000 });
  await page.waitForTimeout(300);
  const print = await page.evaluate(() => {
    const budgets = document.querySelector('[aria-labelledby="error-budgets"]');
    const panels = [...document.querySelectorAll('[data-chart="small-multiple"]')].map((p) => p.getBoundingClientRect());
    const rowTops = new Set(panels.map((p) => Math.round(p.top)));
    // The last thing drawn on paper and everything around it: none may be a grey block.
    const paper = getComputedStyle(document.body).backgroundColor;
    const all = [...document.querySelectorAll('.hs-review *')].filter((el) => el.getClientRects().length > 0);
    const bottom = Math.max(...all.map((el) => el.getBoundingClientRect().bottom));
    const last = all.filter((el) => el.getBoundingClientRect().bottom >= bottom - 1);
    const grey = last
      .map((el) => ({ tag: `${el.tagName.toLowerCase()}.${el.className}`, bg: getComputedStyle(el).backgroundColor }))
      .filter((x) => x.bg !== 'rgba(0, 0, 0, 0)' && x.bg !== paper);
    const tickSizes = [...document.querySelectorAll('[data-chart="small-multiple"] .hs-chart__tick')].map((t) => parseFloat(getComputedStyle(t).fontSize) * Math.hypot((t as SVGGraphicsElement).getScreenCTM()?.a ?? 1, (t as SVGGraphicsElement).getScreenCTM()?.b ?? 0));
    return {
      budgetsShown: !!budgets && budgets.getClientRects().length > 0,
      budgetRows: budgets?.querySelectorAll('tbody tr').length ?? 0,
      restShown: (document.querySelector('[data-testid="burn-rest"]')?.getClientRects().length ?? 0) > 0,
      panelWidths: panels.map((p) => p.width),
      panelsPerRow: panels.length / rowTops.size,
      grey,
      pageBackground: [getComputedStyle(document.documentElement).backgroundColor, paper],
      minTick: Math.min(...tickSizes),
      headings: [...document.querySelectorAll('.hs-review h2')].map((h) => (h.textContent ?? '').trim()),
    };
  });
  await screenshot(page, 'reliability-charts-print');
  await page.locator('[aria-labelledby="trend-burn"]').screenshot({ path: join(ARTIFACTS, 'reliability-charts-burn-print.png') });
  expect(print.budgetsShown).toBe(true);
  expect(print.budgetRows).toBe(SERVICES);
  expect(print.restShown).toBe(true);
  expect(print.panelsPerRow).toBe(2);
  expect(Math.min(...print.panelWidths)).toBeGreaterThan(300);
  expect(print.minTick).toBeGreaterThanOrEqual(11.5);
  expect(print.grey).toEqual([]);
  // Below the content the page is paper, not the screen's grey background.
  expect(print.pageBackground[0]).toBe(print.pageBackground[1]);
  await page.emulateMedia({ media: null });
  await page.setViewportSize({ width: 1440, height: 900 });

  for (const format of ['A4', 'Letter'] as const) {
    const pdf = await page.pdf({ format, printBackground: true, path: join(ARTIFACTS, `reliability-review-${format}.pdf`) });
    const pages = pdfPages(pdf);
    writeFileSync(join(ARTIFACTS, `reliability-review-${format}.txt`), pages.map((p, i) => `--- page ${i + 1} (${p.runs.length} runs, lowest at ${Math.min(...p.runs.map((r) => r.y)).toFixed(0)} of ${p.height})\n${p.text.slice(0, 300)}\n…${p.text.slice(-200)}`).join('\n'));
    // Chromium writes text in short runs: compare without the spaces between them.
    const text = pages.map((p) => p.text).join('').replace(/\s+/g, '');
    const has = (words: string) => text.includes(words.replace(/\s+/g, ''));
    // A sane length: a page per topic, not one per chart or table row.
    expect(pages.length).toBeGreaterThanOrEqual(6);
    expect(pages.length).toBeLessThanOrEqual(24);
    // The error-budget table and the burn table are on paper.
    expect(has('Error budgets now')).toBe(true);
    expect(has('Remaining')).toBe(true);
    expect(has(`${name(SERVICES)} Availability 99.9 % / 28 d`)).toBe(true);
    expect(has(`The other ${SERVICES - PANELS} SLOs`)).toBe(true);
    // The first page is not half empty: its text reaches the lower half of the page.
    const first = pages[0];
    expect(first && Math.min(...first.runs.map((r) => r.y)) < first.height / 2).toBe(true);
    for (const [i, p] of pages.entries()) {
      expect(p.runs.length).toBeGreaterThan(0);
      // No section's heading is the last line of a page (its section would start on the next).
      const lowest = p.runs.reduce((low, r) => (r.y < low.y ? r : low), p.runs[0] ?? { text: '', y: 0 });
      const lastLine = p.runs.filter((r) => Math.abs(r.y - lowest.y) < 2).map((r) => r.text).join('').trim();
      if (i < pages.length - 1) expect(print.headings.filter((h) => h.replace(/\s+/g, '') === lastLine.replace(/\s+/g, ''))).toEqual([]);
    }
  }
});
