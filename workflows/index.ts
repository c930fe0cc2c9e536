export { orderSyncWorkflow } from './order-sync';
