export { orderSyncWorkflow } from './order-sync';
export { crmAutomationWorkflow } from './crm-automation';
