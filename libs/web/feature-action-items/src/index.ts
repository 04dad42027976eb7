export { ActionItemsPage } from './action-items.page';
export { ActionItemPage } from './action-item.page';
export { ActionItemsTable } from './action-items-table';
