export { SearchPalette, type SearchPaletteProps } from './search-palette';
