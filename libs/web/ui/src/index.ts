// The design system: theme tokens first (every colour and text size), then the shared styles.
import './theme.css';
import './ui.css';

export { Button, type ButtonProps } from './button';
export { TextField, type TextFieldProps } from './text-field';
export { SelectField, type SelectFieldProps, type SelectOption } from './select-field';
export { TextAreaField, type TextAreaFieldProps } from './text-area-field';
export { Badge, type BadgeTone } from './badge';
export { Alert } from './alert';
export { LoadingState, EmptyState, ErrorState } from './states';
export { WhenNear, type WhenNearProps } from './when-near';
export { PageHeader } from './page-header';
export { Page, SidePanel, HeaderBar, type HeaderBarProps } from './layout';
export { Table, sortRows, type Column, type TableProps } from './table';
export { Dialog, ConfirmDialog, ConfirmInPlace, type DialogProps, type ConfirmDialogProps, type ConfirmInPlaceProps } from './dialog';
export { Menu, type MenuItem, type MenuProps } from './menu';
export { Tabs, type Tab, type TabsProps } from './tabs';
export { WritePreviewSwitch, type WritePreviewMode } from './write-preview';
export { ToastProvider, useToast, type ToastOptions } from './toast';
export { PropertyPicker, StatusPicker, PriorityPicker, OwnerPicker, TeamPicker, DueDatePicker, PickerCancelled, type PickerChange, type PickerOption, type PropertyPickerProps } from './pickers';
export { LABELS, labelOf, enumOptions, humanizeEnum, type EnumName } from './labels';
export { themeColor, themeVar, seriesColor, SERIES_VARS, SEVERITY_VARS } from './theme';
export * from './format';
// MarkdownView (marked + DOMPurify) lives in @hindsight/web-markdown, its own library, so
// pages import it lazily instead of every page paying for it.
