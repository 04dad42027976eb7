// Colours are declared once, in the theme (libs/web/ui/src/theme.css); everything else in the
// web code refers to them (var(--hs-…) in CSS and inline styles, themeColor('--hs-…') for
// canvas charts). This module finds literal colours; it backs the ESLint rule
// `hindsight/no-hard-coded-colours` (TypeScript) and `tools/eslint/css-colours.main.mjs` (CSS).

export const THEME_FILE = 'libs/web/ui/src/theme.css';

// #rgb, #rgba, #rrggbb, #rrggbbaa; rgb()/rgba()/hsl()/hsla()/hwb()/lab()/lch()/oklch()/color().
const HEX = /#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b/g;
const FUNCTION = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/gi;
// Named colours people actually write; CSS keywords such as transparent, currentColor and inherit are fine.
const NAMED = /(?:^|[\s:,(])(white|black|red|green|blue|gray|grey|yellow|orange|purple|pink|navy|silver|maroon|teal)(?=[\s;,)!]|$)/gi;
const COLOUR_PROPERTY = /^\s*(?:color|background(?:-color)?|border(?:-(?:top|right|bottom|left))?(?:-color)?|outline(?:-color)?|fill|stroke|box-shadow|text-shadow|caret-color|accent-color|column-rule(?:-color)?|text-decoration(?:-color)?)\s*:/i;

/** Literal colours in one CSS file's text: [{ line, text }]. Comments are ignored. */
export function cssColours(source) {
  const found = [];
  const text = source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  text.split('\n').forEach((line, i) => {
    for (const declaration of line.split(/[;{}]/)) {
      const matches = [...declaration.matchAll(HEX), ...declaration.matchAll(FUNCTION)].map((m) => m[0]);
      if (COLOUR_PROPERTY.test(declaration)) matches.push(...[...declaration.matchAll(NAMED)].map((m) => m[1]));
      for (const m of matches) found.push({ line: i + 1, text: m });
    }
  });
  return found;
}

/** True when a string literal in code is (or holds) a literal colour: '#a8211a', 'rgba(0,0,0,.1)'. */
export function isColourLiteral(value) {
  const v = value.trim();
  if (/^#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})$/.test(v)) return true;
  return /\b(?:rgba?|hsla?|hwb|oklch|oklab)\(\s*[\d.]/i.test(v);
}

/** The ESLint rule: string and template literals that are colours, outside the theme. */
export const noHardCodedColours = {
  meta: {
    type: 'problem',
    docs: { description: 'Colours come from the theme (libs/web/ui/src/theme.css), never literals in web code.' },
    schema: [],
    messages: { literal: 'Literal colour "{{value}}": use a theme token (var(--hs-…) or themeColor(\'--hs-…\')) declared in libs/web/ui/src/theme.css.' },
  },
  create(context) {
    const check = (node, value) => {
      if (typeof value === 'string' && isColourLiteral(value)) context.report({ node, messageId: 'literal', data: { value: value.trim() } });
    };
    return {
      Literal: (node) => check(node, node.value),
      TemplateElement: (node) => check(node, node.value.cooked),
    };
  },
};
