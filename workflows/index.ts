export { orderSyncWorkflow } from './order-sync';
export { crmAutomationWorkflow } from './crm-automation';
export { smsSendWorkflow } from './sms-send';
export { scenarioWorkflow } from './scenario';
