export { MarkdownView, renderMarkdown } from './markdown-view';
