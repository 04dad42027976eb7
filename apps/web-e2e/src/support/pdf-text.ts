// Reads the text of a PDF that Chromium printed, page by page, without a PDF library: the
// objects, the (Flate) streams, each font's ToUnicode map and the text-showing operators.
// Enough for Chromium's own output (Type0 fonts, hex glyph strings); not a general PDF reader.
import { inflateSync } from 'node:zlib';

export interface PdfRun {
  text: string;
  /** The run's baseline in PDF units from the bottom of the page (larger is higher). */
  y: number;
}

export interface PdfPage {
  runs: PdfRun[];
  /** The page's text in drawing order, runs joined by spaces. */
  text: string;
  height: number;
}

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endobj', start);
    if (end < 0) break;
    const body = raw.slice(start, end);
    const s = body.indexOf('stream');
    if (s >= 0 && body.slice(0, s).includes('<<')) {
      const dict = body.slice(0, s);
      let dataStart = start + s + 'stream'.length;
      if (raw[dataStart] === '\r') dataStart++;
      if (raw[dataStart] === '\n') dataStart++;
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? -1);
      const dataEnd = length >= 0 ? dataStart + length : raw.indexOf('endstream', dataStart);
      let data = pdf.subarray(dataStart, dataEnd);
      if (/\/FlateDecode/.test(dict)) {
        try {
          data = inflateSync(data);
        } catch {
          data = Buffer.alloc(0);
        }
      }
      objects.set(Number(m[1]), { dict, stream: data });
    } else {
      objects.set(Number(m[1]), { dict: body });
    }
    re.lastIndex = end;
  }
  return objects;
}

/** A ToUnicode CMap: glyph (as hex of its code) → text. */
function readCMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const hexText = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((c) => parseInt(c, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set((pair[1] ?? '').toUpperCase(), hexText(pair[2] ?? ''));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const r of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const lo = parseInt(r[1] ?? '0', 16);
      const hi = parseInt(r[2] ?? '0', 16);
      const base = parseInt(r[3] ?? '0', 16);
      const width = (r[1] ?? '').length;
      for (let c = lo; c <= hi; c++) map.set(c.toString(16).toUpperCase().padStart(width, '0'), String.fromCodePoint(base + c - lo));
    }
  }
  return map;
}

const refs = (s: string) => [...s.matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1]));

/** The pages of a PDF Chromium printed, each with its text runs and their heights on the page. */
export function pdfPages(pdf: Buffer): PdfPage[] {
  const objects = readObjects(pdf);
  const dictOf = (n: number) => objects.get(n)?.dict ?? '';
  const cmaps = new Map<number, Map<string, string>>();
  const fontMap = (fontObj: number) => {
    if (!cmaps.has(fontObj)) {
      const to = /\/ToUnicode (\d+) 0 R/.exec(dictOf(fontObj))?.[1];
      cmaps.set(fontObj, to ? readCMap(objects.get(Number(to))?.stream?.toString('latin1') ?? '') : new Map());
    }
    return cmaps.get(fontObj) ?? new Map<string, string>();
  };
  // Pages in order: walk the page tree from the catalogue's /Pages.
  const order: number[] = [];
  const walk = (n: number) => {
    const d = dictOf(n);
    if (/\/Type\s*\/Pages/.test(d)) for (const kid of refs(/\/Kids\s*\[([^\]]*)\]/.exec(d)?.[1] ?? '')) walk(kid);
    else if (/\/Type\s*\/Page\b/.test(d)) order.push(n);
  };
  const root = [...objects.entries()].find(([, o]) => /\/Type\s*\/Catalog/.test(o.dict));
  const pagesRef = /\/Pages (\d+) 0 R/.exec(root?.[1].dict ?? '')?.[1];
  if (pagesRef) walk(Number(pagesRef));

  /** A resource dictionary's named entries of one kind (/Font, /XObject): name → object number. */
  const named = (resources: string, kind: string) => {
    let entries = new RegExp(`/${kind}\\s*<<([^>]*)>>`).exec(resources)?.[1] ?? '';
    const ref = new RegExp(`/${kind} (\\d+) 0 R`).exec(resources)?.[1];
    if (ref) entries = dictOf(Number(ref));
    return new Map([...entries.matchAll(/\/(\S+?) (\d+) 0 R/g)].map((f) => [f[1] ?? '', Number(f[2])]));
  };
  const resourcesOf = (dict: string) => {
    const ref = /\/Resources (\d+) 0 R/.exec(dict)?.[1];
    return ref ? dictOf(Number(ref)) : (/\/Resources\s*(<<[\s\S]*>>)/.exec(dict)?.[1] ?? '');
  };
  const mul = (a: number[], b: number[]) => [
    (a[0] ?? 0) * (b[0] ?? 0) + (a[1] ?? 0) * (b[2] ?? 0),
    (a[0] ?? 0) * (b[1] ?? 0) + (a[1] ?? 0) * (b[3] ?? 0),
    (a[2] ?? 0) * (b[0] ?? 0) + (a[3] ?? 0) * (b[2] ?? 0),
    (a[2] ?? 0) * (b[1] ?? 0) + (a[3] ?? 0) * (b[3] ?? 0),
    (a[4] ?? 0) * (b[0] ?? 0) + (a[5] ?? 0) * (b[2] ?? 0) + (b[4] ?? 0),
    (a[4] ?? 0) * (b[1] ?? 0) + (a[5] ?? 0) * (b[3] ?? 0) + (b[5] ?? 0),
  ];

  /** The text runs of a content stream (a page's or a form's), forms followed where drawn. */
  const readContent = (content: string, resources: string, start: number[], runs: PdfRun[], depth: number) => {
    const fonts = named(resources, 'Font');
    const forms = named(resources, 'XObject');
    let font = new Map<string, string>();
    // The current transformation matters only for the vertical position: track cm and Tm.
    const stack: number[][] = [];
    let ctm = start;
    let tm = [1, 0, 0, 1, 0, 0];
    const tokens = content.match(/<[0-9A-Fa-f\s]*>|\[[^\]]*\]|\((?:\\.|[^\\)])*\)|\/[^\s/<>[\]()]+|[-+]?\d*\.?\d+|[A-Za-z'"*]+/g) ?? [];
    const operands: string[] = [];
    for (const t of tokens) {
      if (!/^[A-Za-z'"*]+$/.test(t)) {
        operands.push(t);
        continue;
      }
      const nums = operands.map(Number);
      switch (t) {
        case 'q':
          stack.push(ctm);
          break;
        case 'Q':
          ctm = stack.pop() ?? start;
          break;
        case 'cm':
          ctm = mul(nums.slice(-6), ctm);
          break;
        case 'BT':
          tm = [1, 0, 0, 1, 0, 0];
          break;
        case 'Tm':
          tm = nums.slice(-6);
          break;
        case 'Td':
        case 'TD':
          tm = mul([1, 0, 0, 1, nums.at(-2) ?? 0, nums.at(-1) ?? 0], tm);
          break;
        case 'Tf':
          font = fontMap(fonts.get((operands.at(-2) ?? '').slice(1)) ?? -1);
          break;
        case 'Do': {
          const form = forms.get((operands.at(-1) ?? '').slice(1));
          const obj = form === undefined ? undefined : objects.get(form);
          if (obj?.stream && /\/Subtype\s*\/Form/.test(obj.dict) && depth < 8) {
            const matrix = /\/Matrix\s*\[([^\]]*)\]/.exec(obj.dict)?.[1]?.trim().split(/\s+/).map(Number) ?? [1, 0, 0, 1, 0, 0];
            const own = resourcesOf(obj.dict);
            readContent(obj.stream.toString('latin1'), own || resources, mul(matrix, ctm), runs, depth + 1);
          }
          break;
        }
        case 'Tj':
        case 'TJ': {
          const hex = (operands.at(-1) ?? '').match(/<([0-9A-Fa-f\s]*)>/g) ?? [];
          const text = hex
            .map((h) => (h.slice(1, -1).replace(/\s/g, '').match(/.{4}/g) ?? []).map((g) => font.get(g.toUpperCase()) ?? '').join(''))
            .join('');
          const y = mul(tm, ctm)[5] ?? 0;
          if (text.trim()) runs.push({ text, y });
          break;
        }
      }
      operands.length = 0;
    }
  };

  return order.map((n) => {
    const d = dictOf(n);
    const height = Number(/\/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/.exec(d)?.[1] ?? 0);
    const contentsMatch = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(d)?.[1] ?? '';
    const content = refs(contentsMatch)
      .map((c) => objects.get(c)?.stream?.toString('latin1') ?? '')
      .join('\n');
    const runs: PdfRun[] = [];
    readContent(content, resourcesOf(d), [1, 0, 0, 1, 0, 0], runs, 0);
    return { runs, text: runs.map((r) => r.text).join(' '), height };
  });
}
