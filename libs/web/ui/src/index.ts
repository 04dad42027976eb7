import './ui.css';

export { Button, type ButtonProps } from './button';
export { TextField, type TextFieldProps } from './text-field';
export { SelectField, type SelectFieldProps, type SelectOption } from './select-field';
export { TextAreaField, type TextAreaFieldProps } from './text-area-field';
export { Badge, type BadgeTone } from './badge';
export { Alert } from './alert';
export { LoadingState, EmptyState, ErrorState } from './states';
export { PageHeader } from './page-header';
export * from './format';
// MarkdownView (marked + DOMPurify) lives in @hindsight/web-markdown, its own library, so
// pages import it lazily instead of every page paying for it.
